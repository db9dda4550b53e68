// The tmux event source of one target: ONE long-lived control-mode client that every tmux probe
// queries through (no process per check), whose notifications trigger immediate re-checks. It
// re-attaches when its session is killed and comes back when the server is restarted; while the
// server has no session to attach to, a session-less waiting client announces the next one.
import { getErrorMessage } from '../../errors.js';
import { monotonicMs } from '../../util/clock.js';
import type { TmuxSocket } from '../../targets/tmux.js';
import { chooseSession } from './choose-session.js';
import { DeliveryCoverage } from './coverage.js';
import { DeliveryBound } from './delivery-bound.js';
import type { FileWatcher } from './file-watcher.js';
import { NoSessionWatch } from './no-session-watch.js';
import { StandbyKeeper } from './standby-keeper.js';
import { TmuxControlClient } from './tmux-control-client.js';
import { getTmuxSocketPath, isAccepting } from './tmux-server-socket.js';
import { PANE_QUERY, parsePaneRows, quoteTmuxArg, type TmuxSnapshot } from './tmux-snapshot.js';
import { createUntimedTrigger, type Trigger } from './trigger.js';
import { WindowEventLog } from './window-events.js';

// A client's exit is seen when its output ends: allow for tmux tearing the client down.
const EXIT_BOUND_MS = 5;

/** Observes one tmux server through a read-only control-mode client. */
export class TmuxObserver {
  private client: TmuxControlClient | undefined;
  /** The client being attached, which already takes queries. */
  private attaching: TmuxControlClient | undefined;
  private connecting: Promise<TmuxControlClient | undefined> | undefined;
  private readonly listeners = new Set<(trigger: Trigger) => void>();
  private nextSnapshot: Promise<TmuxSnapshot> | undefined;
  private unwatchSocket: (() => void) | undefined;
  private lastProblem = 'not connected yet';
  private readonly watchedSessions = new Set<string>();
  /** When every session and window change was announced: while a client was attached, or no session existed and the session watch listened. */
  private readonly coverage = new DeliveryCoverage();
  private endClientSpan: ((at?: number) => void) | undefined;
  private serverPid: number | undefined;
  /** A control client forked in advance, so that a re-attach does not wait for a fork. */
  private readonly standby: StandbyKeeper;
  /** Runqueue waits (and run time) of the path a notification takes: tmux server → control client → faultline. */
  private readonly bound = new DeliveryBound(() => [this.serverPid, ...this.helperPids].filter((pid): pid is number => pid !== undefined));
  /** While the server has no session: the waiting client that announces the next one. */
  private readonly noSession: NoSessionWatch;
  /** Notifications naming a window, by window id: they pin changes of windows and sessions to one event. */
  readonly windowEvents = new WindowEventLog();
  private closed = false;
  /** Connections made (the first, then one per re-attach); for tests and the journal. */
  connections = 0;

  constructor(
    private readonly socket: TmuxSocket,
    private readonly files: FileWatcher,
    private readonly queryTimeoutMs = 1000,
  ) {
    this.standby = new StandbyKeeper(socket, () => !this.closed && this.listeners.size > 0);
    this.noSession = new NoSessionWatch({
      socket,
      queryTimeoutMs,
      coverage: this.coverage,
      isClosed: () => this.closed,
      isListened: () => this.listeners.size > 0,
      isAttached: () => this.client?.alive === true,
      connect: async (serverAlive) => (await this.connect(serverAlive)) !== undefined,
      getDeliveryBoundMs: (to) => this.getDeliveryBoundMs(to),
      getBaseBoundMs: () => this.deliveryBoundMs,
      emit: (trigger) => this.emit(trigger),
      addProblem: (text) => (this.lastProblem = `${this.lastProblem}; ${text}`),
    });
  }

  /** The socket file of the server (for -L names, where tmux puts it). */
  get socketPath(): string {
    return getTmuxSocketPath(this.socket);
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
    return [this.clientPid, this.noSession.pid].filter((pid): pid is number => pid !== undefined);
  }

  /** How late a notification can reach faultline after the change, without CPU waits (see DeliveryBound.baseMs). */
  get deliveryBoundMs(): number {
    return this.bound.baseMs;
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
    return this.bound.getLatenessMs(to);
  }

  /** Subscribes to "something changed" triggers; connects and watches the socket while anyone listens. */
  watch(listener: (trigger: Trigger) => void): () => void {
    this.listeners.add(listener);
    this.bound.startReadings();
    this.unwatchSocket ??= this.files.watch(this.socketPath, (trigger) => {
      this.emit(trigger);
      if (!this.client?.alive) void this.connect();
    });
    void this.connect();
    if (!this.closed) this.standby.refill();
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0) {
        this.bound.stopReadings();
        this.standby.drop();
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
    const watchClosed = this.noSession.close();
    this.unwatchSocket?.();
    this.unwatchSocket = undefined;
    this.bound.stopReadings();
    this.standby.drop();
    const client = this.client ?? (await this.connecting);
    this.client = undefined;
    await Promise.all([client?.close(), watchClosed]);
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
      if (!this.client?.alive && !this.attaching?.alive && (await this.noSession.provesNoSession())) {
        this.lastProblem = 'tmux control client could not attach: no sessions (a session-less client waits for the next one)';
        return undefined;
      }
      const early = this.client?.alive ? undefined : this.attaching;
      const client = early?.alive ? early : await this.connect();
      if (!client) return undefined;
      try {
        const reply = await client.command(line, this.queryTimeoutMs);
        // A reply that waited for the attach says nothing about how fast notifications travel.
        if (!reply.early) this.bound.recordRoundTrip(reply.rttMs);
        return reply;
      } catch (error) {
        // Sent before an attach that then failed: that failure is the answer (with "no sessions" it
        // proves the server had none after this check began), not a reason to attach again.
        if (client === early && !client.wasAttached) {
          if (!/could not attach/.test(this.lastProblem)) this.lastProblem = getErrorMessage(error);
          return undefined;
        }
        this.lastProblem = getErrorMessage(error);
      }
    }
    return undefined;
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
        this.bound.mark();
        const boundMs = this.deliveryBoundMs;
        this.windowEvents.record(line, at, boundMs);
        this.emit({ at, boundMs, source: 'tmux' });
      },
      onExit: (at, reason) => this.onClientExit(started.client, at, reason),
    }, undefined, undefined, this.standby.current);
    const holder = { client: started.client };
    // Queries asked meanwhile go out at once and are answered right after the attach.
    this.attaching = started.client;
    try {
      await started.attached;
    } catch (error) {
      this.attaching = undefined;
      if (!this.closed) this.standby.refill();
      this.lastProblem = `tmux control client could not attach: ${getErrorMessage(error)}`;
      if (!/no sessions/.test(this.lastProblem) || this.closed) return undefined;
      // The session the watch announced was there and gone before this attach: attach again (once more).
      if (this.noSession.changedSince(begun) && !serverAlive) return this.open(true);
      // No session to attach to: listen for the next one, without making one.
      this.noSession.onNoSessions(begun);
      return undefined;
    }
    this.attaching = undefined;
    if (!this.closed) this.standby.refill();
    if (this.closed) {
      await holder.client.close();
      return undefined;
    }
    // Attached: every change from here on is announced (conservatively, from when attach returned).
    const end = this.coverage.begin();
    if (holder.client.alive) this.endClientSpan = end;
    else end();
    this.noSession.stop();
    // Queries may go out at once: replies come in order, behind the choice of session (which only
    // matters when this session is killed later), so the recovery check does not wait for it.
    void chooseSession(holder.client, this.watchedSessions, this.queryTimeoutMs, (pid) => (this.serverPid = pid));
    this.client = holder.client;
    this.connections += 1;
    // Changes made while no client was attached came without a notification: re-check everything.
    if (this.connections > 1) this.emit(createUntimedTrigger('tmux.reconnect'));
    return holder.client;
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

  private emit(trigger: Trigger): void {
    for (const listener of this.listeners) listener(trigger);
  }
}
