// The tmux event source of one target: ONE long-lived control-mode client that every tmux probe
// queries through (no process per check), whose notifications trigger immediate re-checks. It
// re-attaches when its session is killed and comes back when the server is restarted; while the
// server has no session to attach to, a session-less waiting client announces the next one.
import { connect as connectSocket } from 'node:net';
import { join } from 'node:path';
import { getErrorMessage } from '../../errors.js';
import { monotonicMs } from '../../util/clock.js';
import type { TmuxSocket } from '../../targets/tmux.js';
import { DeliveryCoverage } from './coverage.js';
import { CpuWaitClock } from './cpu-waits.js';
import type { FileWatcher } from './file-watcher.js';
import { StandbyClient, TmuxControlClient } from './tmux-control-client.js';
import { TmuxSessionWatch } from './tmux-session-watch.js';
import { PANE_QUERY, parsePaneRows, quoteTmuxArg, type TmuxSnapshot } from './tmux-snapshot.js';
import { createUntimedTrigger, type Trigger } from './trigger.js';
import { WindowEventLog } from './window-events.js';

// A client's exit is seen when its output ends: allow for tmux tearing the client down.
const EXIT_BOUND_MS = 5;
const RTT_WINDOW = 16;
const MIN_BOUND_MS = 5;
// Attach retries while nothing announces a session (the session watch could not start).
const RETRY_MS = 50;
// Readings of the path's CPU waits this often while probes listen: a notification's bound starts at one just before it.
const WAIT_READING_MS = 20;
// A used standby is replaced this long after: forking blocks the event loop, so not while the new client's first replies come in.
const STANDBY_REFILL_MS = 50;

/** Observes one tmux server through a read-only control-mode client. */
export class TmuxObserver {
  private client: TmuxControlClient | undefined;
  /** The client being attached, which already takes queries. */
  private attaching: TmuxControlClient | undefined;
  private connecting: Promise<TmuxControlClient | undefined> | undefined;
  private readonly listeners = new Set<(trigger: Trigger) => void>();
  private readonly rtts: number[] = [];
  private nextSnapshot: Promise<TmuxSnapshot> | undefined;
  private unwatchSocket: (() => void) | undefined;
  private lastProblem = 'not connected yet';
  private readonly watchedSessions = new Set<string>();
  /** When the session watch last announced a session change (monotonic ms). */
  private sessionsChangedAt: number | undefined;
  /** When every session and window change was announced: while a client was attached, or no session existed and the session watch listened. */
  private readonly coverage = new DeliveryCoverage();
  private endClientSpan: ((at?: number) => void) | undefined;
  private sessionWatch: TmuxSessionWatch | undefined;
  /** While the session watch listens and has announced nothing: since when the server provably has no session. */
  private noSessionSince: number | undefined;
  /** Set while an adopted watch waits for an attach begun after it was ready to fail with "no sessions". */
  private confirmNoSession: ((attemptBegun: number) => void) | undefined;
  /** Checks waiting out a delivery bound in provesNoSession: woken when the watch stops vouching. */
  private readonly noSessionWaiters = new Set<() => void>();
  private startingWatch: Promise<void> | undefined;
  private stoppingWatches = new Set<Promise<void>>();
  private retryTimer: NodeJS.Timeout | undefined;
  private serverPid: number | undefined;
  private waitTicker: NodeJS.Timeout | undefined;
  /** A control client forked in advance, so that a re-attach does not wait for a fork. */
  private standby: StandbyClient | undefined;
  private refillTimer: NodeJS.Timeout | undefined;
  /** Runqueue waits of the path a notification takes: tmux server → control client → faultline. */
  private readonly waits = new CpuWaitClock(() => [this.serverPid, ...this.helperPids].filter((pid): pid is number => pid !== undefined));
  /** Notifications naming a window, by window id: they pin changes of windows and sessions to one event. */
  readonly windowEvents = new WindowEventLog();
  private closed = false;
  /** Connections made (the first, then one per re-attach); for tests and the journal. */
  connections = 0;

  constructor(
    private readonly socket: TmuxSocket,
    private readonly files: FileWatcher,
    private readonly queryTimeoutMs = 1000,
  ) {}

  /** The socket file of the server (for -L names, where tmux puts it). */
  get socketPath(): string {
    if (this.socket.socketPath) return this.socket.socketPath;
    const base = process.env.TMUX_TMPDIR || '/tmp';
    return join(base, `tmux-${process.getuid?.() ?? 0}`, this.socket.socketName ?? 'default');
  }

  /**
   * Notes a session that probes watch. The client prefers to attach elsewhere: when the session it is
   * attached to is killed, tmux detaches it before announcing that session's windows as closed.
   */
  noteWatchedSession(name: string): void {
    this.watchedSessions.add(name);
  }

  /** The control client's pid, when connected (CPU accounting in the benchmark). */
  get clientPid(): number | undefined {
    return this.client?.alive ? this.client.pid : undefined;
  }

  /** The long-lived helper processes right now: the attached client, or the session watch's waiting client. */
  get helperPids(): number[] {
    return [this.clientPid, this.sessionWatch?.pid].filter((pid): pid is number => pid !== undefined);
  }

  /**
   * How late a notification can reach faultline after the change: the slowest of the last round
   * trips through the same server → client → faultline path (a notification makes half that trip),
   * and at least 5 ms: tmux queues a notification behind the command that caused it, and a server
   * busy with that command's aftermath (a restarted agent starting up) emits it milliseconds later —
   * up to 3.2 ms after the healer's own post-command timestamp in bench:accuracy, which checks the bound.
   */
  get deliveryBoundMs(): number {
    return Math.max(MIN_BOUND_MS, ...this.rtts);
  }

  /**
   * The delivery bound when every session and window change was announced without a break over
   * [from, to] (default: now), else null: a client was attached all that time, or the server had no
   * session and the session watch listened. A change made while neither held came with no event.
   */
  getEventBound(from?: number, to?: number): number | null {
    return this.coverage.covers(from, to) ? this.getDeliveryBoundMs(to) : null;
  }

  /**
   * How late a notification that arrived at `to` (default: one not arrived by now) can be: the
   * delivery bound, plus what the tmux server, the control client and faultline waited for a CPU
   * meanwhile (readings taken on every notification and every check).
   */
  getDeliveryBoundMs(to?: number): number {
    return this.waits.getLatenessBound(this.deliveryBoundMs, to);
  }

  /** Subscribes to "something changed" triggers; connects and watches the socket while anyone listens. */
  watch(listener: (trigger: Trigger) => void): () => void {
    this.listeners.add(listener);
    this.waitTicker ??= setInterval(() => this.waits.mark(), WAIT_READING_MS).unref();
    this.unwatchSocket ??= this.files.watch(this.socketPath, (trigger) => {
      this.emit(trigger);
      if (!this.client?.alive) void this.connect();
    });
    void this.connect();
    this.refillStandby();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        clearInterval(this.waitTicker);
        this.waitTicker = undefined;
        this.dropStandby();
        this.unwatchSocket?.();
        this.unwatchSocket = undefined;
      }
    };
  }

  /**
   * Every pane of the server, from one `list-panes -a`. Calls made in the same turn of the event
   * loop share one query (a notification re-checks all tmux probes at once); a caller never gets
   * an answer to a query sent before it asked.
   */
  snapshot(): Promise<TmuxSnapshot> {
    this.nextSnapshot ??= new Promise((resolve) => {
      setImmediate(() => {
        this.nextSnapshot = undefined;
        resolve(this.querySnapshot());
      });
    });
    return this.nextSnapshot;
  }

  /** The last `lines` lines of a pane's text, or why it could not be read. */
  async capturePane(target: string, lines: number): Promise<{ ok: true; text: string } | { ok: false; detail: string }> {
    const reply = await this.query(`capture-pane -p -J -t ${quoteTmuxArg(target)} -S -${lines}`);
    if (!reply) return { ok: false, detail: this.lastProblem };
    if (!reply.ok) return { ok: false, detail: reply.lines.join(' ') || `cannot capture ${target}` };
    return { ok: true, text: reply.lines.join('\n') };
  }

  /** Detaches the client, stops the session watch and stops watching. */
  async close(): Promise<void> {
    this.closed = true;
    this.listeners.clear();
    this.endNoSession();
    this.unwatchSocket?.();
    this.unwatchSocket = undefined;
    clearTimeout(this.retryTimer);
    clearInterval(this.waitTicker);
    this.dropStandby();
    const client = this.client ?? (await this.connecting);
    this.client = undefined;
    await this.startingWatch;
    this.stopSessionWatch();
    await Promise.all([client?.close(), ...this.stoppingWatches]);
  }

  private async querySnapshot(): Promise<TmuxSnapshot> {
    const reply = await this.query(PANE_QUERY);
    if (!reply) return { server: false, panes: [], detail: this.lastProblem };
    if (!reply.ok) return { server: true, panes: [], detail: reply.lines.join(' ') };
    return { server: true, panes: parsePaneRows(reply.lines) };
  }

  // One command, retried once on a fresh client when the first one went away mid-query.
  private async query(line: string): Promise<{ ok: boolean; lines: string[] } | undefined> {
    for (let attempt = 0; attempt < 2; attempt++) {
      // A watch being started after a failed attach answers sooner than another attach would fail.
      if (!this.client?.alive && !this.attaching?.alive) await this.startingWatch;
      if (!this.client?.alive && !this.attaching?.alive && (await this.provesNoSession())) {
        this.lastProblem = 'tmux control client could not attach: no sessions (a session-less client waits for the next one)';
        return undefined;
      }
      const early = this.client?.alive ? undefined : this.attaching;
      const client = early?.alive ? early : await this.connect();
      if (!client) return undefined;
      try {
        const reply = await client.command(line, this.queryTimeoutMs);
        // A reply that waited for the attach says nothing about how fast notifications travel.
        if (!reply.early) {
          this.rtts.push(reply.rttMs);
          if (this.rtts.length > RTT_WINDOW) this.rtts.shift();
        }
        return reply;
      } catch (error) {
        this.lastProblem = getErrorMessage(error);
      }
    }
    return undefined;
  }

  /**
   * A check while the session watch listens, instead of an attach that would fail: true once the
   * server provably had no session when this check began — the watch has announced nothing since
   * it was registered, and a session created before the check would have been announced by now
   * (its delivery bound, CPU waits included, has passed), or the first change it announced came
   * later than that bound after the check began. False when it stopped, or announced a change that
   * may predate the check, or the bound does not pass within the query timeout: then the caller attaches.
   */
  private async provesNoSession(): Promise<boolean> {
    const since = this.noSessionSince;
    const begun = monotonicMs();
    if (since === undefined || begun < since) return false;
    while (this.noSessionSince === since && !this.closed) {
      const waited = monotonicMs() - begun;
      const bound = this.getDeliveryBoundMs();
      if (waited > bound) return true;
      if (waited > this.queryTimeoutMs) return false;
      // A runnable process on the path makes the bound infinite for now: look again shortly. A session
      // change ends the wait at once (the check then attaches).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Number.isFinite(bound) ? Math.max(1, Math.ceil(bound - waited)) : 1);
        const waiters = this.noSessionWaiters;
        waiters.add(done);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
      });
    }
    // The first session change arrived at `changed`, within its delivery bound of the change itself.
    const changed = this.sessionsChangedAt;
    return changed !== undefined && changed > begun && this.coverage.covers(begun, changed) && begun < changed - this.getDeliveryBoundMs(changed);
  }

  // The session watch no longer vouches that the server has no session (a change, its exit, its stop).
  private endNoSession(): void {
    this.noSessionSince = undefined;
    this.confirmNoSession = undefined;
    for (const wake of [...this.noSessionWaiters]) wake();
  }

  // `serverAlive`: a live client of the server just spoke (the session watch), so no socket check first.
  private connect(serverAlive = false): Promise<TmuxControlClient | undefined> {
    if (this.client?.alive) return Promise.resolve(this.client);
    this.connecting ??= this.open(serverAlive).finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async open(serverAlive = false): Promise<TmuxControlClient | undefined> {
    if (this.closed) return undefined;
    const begun = monotonicMs();
    // A refused or missing socket means no server: answer at once, without spawning tmux. Skipped when
    // the server just announced a session, so the attach (and the queries waiting on it) start at once.
    if (!serverAlive && !(await isAccepting(this.socketPath))) {
      this.lastProblem = `no tmux server running on ${this.socketPath}`;
      return undefined;
    }
    const started = TmuxControlClient.start(this.socket, {
      onNotification: (line, at) => {
        this.waits.mark();
        const boundMs = this.deliveryBoundMs;
        this.windowEvents.record(line, at, boundMs);
        this.emit({ at, boundMs, source: 'tmux' });
      },
      onExit: (at, reason) => this.onClientExit(started.client, at, reason),
    }, undefined, undefined, this.standby);
    const holder = { client: started.client };
    // Queries asked meanwhile go out at once and are answered right after the attach.
    this.attaching = started.client;
    try {
      await started.attached;
    } catch (error) {
      this.attaching = undefined;
      this.refillStandby();
      this.lastProblem = `tmux control client could not attach: ${getErrorMessage(error)}`;
      if (!/no sessions/.test(this.lastProblem) || this.closed) return undefined;
      // The session the watch announced was there and gone before this attach: attach again (once more),
      // then watch afresh: a watch that announced a change no longer vouches for anything.
      if (this.sessionsChangedAt !== undefined && this.sessionsChangedAt >= begun && !serverAlive) return this.open(true);
      if (this.confirmNoSession) {
        this.confirmNoSession(begun);
        return undefined;
      }
      if (this.sessionWatch && this.noSessionSince === undefined) this.stopSessionWatch();
      // No session to attach to: listen for the next one, without making one.
      this.watchForSession();
      return undefined;
    }
    this.attaching = undefined;
    this.refillStandby();
    if (this.closed) {
      await holder.client.close();
      return undefined;
    }
    // Attached: every change from here on is announced (conservatively, from when attach returned).
    const end = this.coverage.begin();
    if (holder.client.alive) this.endClientSpan = end;
    else end();
    this.stopSessionWatch();
    // Queries may go out at once: replies come in order, behind the choice of session (which only
    // matters when this session is killed later), so the recovery check does not wait for it.
    void this.chooseSession(holder.client);
    this.client = holder.client;
    this.connections += 1;
    // Changes made while no client was attached came without a notification: re-check everything.
    if (this.connections > 1) this.emit(createUntimedTrigger('tmux.reconnect'));
    return holder.client;
  }

  // Moves the client to an unwatched session, else to the one with the most windows (a project rather
  // than the orchestrator's own one-window session): only this client's attachment changes.
  private async chooseSession(client: TmuxControlClient): Promise<void> {
    try {
      // Both at once: one round trip.
      const [listing, current] = await Promise.all([
        client.command('list-sessions -F "#{session_name}\t#{session_windows}"', this.queryTimeoutMs),
        client.command('display-message -p "#{client_session}\t#{pid}"', this.queryTimeoutMs),
      ]);
      const [session, pid] = (current.lines[0] ?? '').split('\t');
      if (Number(pid) > 0) this.serverPid = Number(pid);
      const sessions = listing.lines.map((line) => line.split('\t')).map(([name = '', windows = '0']) => ({ name, windows: Number(windows), watched: this.watchedSessions.has(name) }));
      const order = (a: (typeof sessions)[number], b: (typeof sessions)[number]) => Number(a.watched) - Number(b.watched) || b.windows - a.windows;
      const best = [...sessions].sort(order)[0];
      const here = sessions.find((candidate) => candidate.name === session);
      if (best && here && order(best, here) < 0) {
        await client.command(`switch-client -t ${quoteTmuxArg(`=${best.name}`)}`, this.queryTimeoutMs);
      }
    } catch {
      // Staying where attach put it only costs precision when that session is killed.
    }
  }

  // Replaces a used or dead standby a little later (the fork is kept off the critical path).
  private refillStandby(): void {
    if (this.standby?.usable || this.refillTimer || this.closed) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      if (this.closed || this.listeners.size === 0 || this.standby?.usable) return;
      this.standby = new StandbyClient(this.socket);
    }, STANDBY_REFILL_MS);
    this.refillTimer.unref();
  }

  private dropStandby(): void {
    clearTimeout(this.refillTimer);
    this.refillTimer = undefined;
    this.standby?.dispose();
    this.standby = undefined;
  }

  private onClientExit(client: TmuxControlClient | undefined, at: number, reason: string): void {
    if (client === undefined) return;
    if (this.endClientSpan && this.client === client) {
      this.endClientSpan(at);
      this.endClientSpan = undefined;
    }
    if (this.client !== client) return;
    this.client = undefined;
    this.lastProblem = reason;
    if (this.closed) return;
    this.emit({ at, boundMs: Math.max(EXIT_BOUND_MS, this.deliveryBoundMs), source: 'tmux.exit' });
    // Its session was killed or the server died: attach again at once while probes listen.
    if (this.listeners.size > 0) void this.connect();
  }

  /**
   * Starts the session watch (once): from the moment tmux registered it, a new session is announced.
   * Probes re-check then (each check tries to attach), so the failing check a recovery is measured
   * from began inside the watched time. Without it, attach is retried every RETRY_MS.
   */
  private watchForSession(): void {
    if (this.closed || this.listeners.size === 0 || this.sessionWatch || this.startingWatch) return;
    let endSpan: ((at?: number) => void) | undefined;
    // A change in the same read as the ready reply comes before the span could begin: then none begins.
    let changed = false;
    // A watch being stopped may exit after its successor was adopted: its exit must not end the successor.
    let adopted: TmuxSessionWatch | undefined;
    this.startingWatch = TmuxSessionWatch.start(this.socket, {
      onSessionsChanged: (at) => {
        changed = true;
        this.sessionsChangedAt = at;
        this.endNoSession();
        // The first change ends what the watch can vouch for: once a session exists, its windows change unannounced.
        endSpan?.(at);
        endSpan = undefined;
        // Attach first (synchronously up to the fork-free exec of the standby), so that the checks this
        // trigger starts send their queries on the attaching client instead of waiting for it.
        void this.connect(true);
        this.emit({ at, boundMs: this.deliveryBoundMs, source: 'tmux.sessions' });
      },
      onExit: (at) => {
        changed = true;
        endSpan?.(at);
        endSpan = undefined;
        if (adopted === undefined || this.sessionWatch !== adopted) return;
        this.sessionWatch = undefined;
        this.endNoSession();
      },
    }, this.queryTimeoutMs)
      .then(({ watch, readyAt }) => {
        if (this.closed || this.client?.alive || watch.pid === undefined) {
          this.track(watch.stop());
          return;
        }
        this.sessionWatch = watch;
        adopted = watch;
        if (changed) return;
        // A session made after the failed attach but before the watch was registered is never announced
        // to it: the watch vouches for nothing until an attach begun after it was ready fails too. A
        // session alive at readyAt and gone by then was announced (then `changed` is set).
        this.confirmNoSession = (attemptBegun) => {
          if (attemptBegun < readyAt) {
            // Begun too early to tell: one more, once this one has settled.
            setImmediate(() => void this.connect());
            return;
          }
          this.confirmNoSession = undefined;
          if (changed || this.sessionWatch !== watch || this.closed) return;
          endSpan = this.coverage.begin(readyAt);
          this.noSessionSince = readyAt;
          this.emit(createUntimedTrigger('tmux.watching'));
        };
        void (this.connecting ?? Promise.resolve()).then(() => this.connect());
      })
      .catch((error: unknown) => {
        this.lastProblem = `${this.lastProblem}; cannot watch for a session: ${getErrorMessage(error)}`;
        this.scheduleRetry();
      })
      .finally(() => (this.startingWatch = undefined));
  }

  private stopSessionWatch(): void {
    const watch = this.sessionWatch;
    this.sessionWatch = undefined;
    this.endNoSession();
    if (watch) this.track(watch.stop());
  }

  private track(stopping: Promise<void>): void {
    this.stoppingWatches.add(stopping);
    void stopping.finally(() => this.stoppingWatches.delete(stopping));
  }

  private scheduleRetry(): void {
    if (this.closed || this.listeners.size === 0 || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (this.closed || this.client?.alive) return;
      void this.connect().then((client) => {
        if (!client && !this.sessionWatch && !this.startingWatch) this.scheduleRetry();
      });
    }, RETRY_MS);
  }

  private emit(trigger: Trigger): void {
    for (const listener of this.listeners) listener(trigger);
  }
}

// Connects to the unix socket and closes again: true when a server accepts connections.
function isAccepting(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connectSocket(path);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
