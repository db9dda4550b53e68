// The tmux observer's part while the server has no session and no control client can attach: a
// session-less waiting client (TmuxSessionWatch) announces the next session, proves in the meantime
// that there is none (so checks need no process), and ends its coverage span at the first change.
import { getErrorMessage } from '../../errors.js';
import { runTmux, type TmuxSocket } from '../../targets/tmux.js';
import { monotonicMs } from '../../util/clock.js';
import type { DeliveryCoverage } from './coverage.js';
import { TmuxSessionWatch } from './tmux-session-watch.js';
import { createUntimedTrigger, type Trigger } from './trigger.js';

// Attach retries while nothing announces a session (the session watch could not start).
const RETRY_MS = 50;

/** What the watch needs of its observer. */
export interface NoSessionHost {
  readonly socket: TmuxSocket;
  readonly queryTimeoutMs: number;
  /** The observer's coverage: the watch adds a span while it vouches that no session exists. */
  readonly coverage: DeliveryCoverage;
  isClosed(): boolean;
  /** True while probes listen. */
  isListened(): boolean;
  /** True while a control client is attached. */
  isAttached(): boolean;
  /** Attaches (`serverAlive`: no socket check first); resolves with whether a client is attached. */
  connect(serverAlive?: boolean): Promise<boolean>;
  getDeliveryBoundMs(to?: number): number;
  /** The delivery bound without CPU waits (a session change's trigger carries it). */
  getBaseBoundMs(): number;
  emit(trigger: Trigger): void;
  /** Appends to the observer's last problem (what checks report). */
  addProblem(text: string): void;
}

/** Watches a server with no session for the next one (one waiting client at a time). */
export class NoSessionWatch {
  private watch: TmuxSessionWatch | undefined;
  private startingWatch: Promise<void> | undefined;
  private readonly stopping = new Set<Promise<void>>();
  /** While the watch listens and has announced nothing: since when the server provably has no session. */
  private noSessionSince: number | undefined;
  /** Set while an adopted watch waits for an attach begun after it was ready to fail with "no sessions". */
  private confirm: ((attemptBegun: number) => void) | undefined;
  /** Checks waiting out a delivery bound in provesNoSession: woken when the watch stops vouching. */
  private readonly waiters = new Set<() => void>();
  private retryTimer: NodeJS.Timeout | undefined;
  /** When the watch last announced a session change (monotonic ms). */
  private changedAt: number | undefined;

  constructor(private readonly host: NoSessionHost) {}

  /** The waiting client's pid (CPU accounting, delivery bounds). */
  get pid(): number | undefined {
    return this.watch?.pid;
  }

  /** True when the watch announced a session change at or after `at`. */
  changedSince(at: number): boolean {
    return this.changedAt !== undefined && this.changedAt >= at;
  }

  /**
   * An attach begun at `begun` failed with "no sessions": it confirms the adopted watch, or starts one
   * (afresh when the current one announced a change: it no longer vouches for anything).
   */
  onNoSessions(begun: number): void {
    if (this.confirm) {
      this.confirm(begun);
      return;
    }
    if (this.watch && this.noSessionSince === undefined) this.stop();
    this.start();
  }

  /**
   * A check while the watch listens, instead of an attach that would fail: true once the server
   * provably had no session when this check began — the watch has announced nothing since it was
   * registered, and a session created before the check would have been announced by now (its
   * delivery bound, CPU waits included, has passed), or the first change it announced came later than
   * that bound after the check began. False when it stopped, or announced a change that may predate
   * the check, or the bound does not pass within the query timeout: then the caller attaches.
   */
  async provesNoSession(): Promise<boolean> {
    const since = this.noSessionSince;
    const begun = monotonicMs();
    if (since === undefined || begun < since) return false;
    while (this.noSessionSince === since && !this.host.isClosed()) {
      const waited = monotonicMs() - begun;
      const bound = this.host.getDeliveryBoundMs();
      if (waited > bound) return true;
      if (waited > this.host.queryTimeoutMs) return false;
      // A runnable process on the path makes the bound infinite for now: look again shortly. A session
      // change ends the wait at once (the check then attaches).
      await new Promise<void>((resolve) => {
        const timer = setTimeout(done, Number.isFinite(bound) ? Math.max(1, Math.ceil(bound - waited)) : 1);
        const waiters = this.waiters;
        waiters.add(done);
        function done() {
          clearTimeout(timer);
          waiters.delete(done);
          resolve();
        }
      });
    }
    // The first session change arrived at `changed`, within its delivery bound of the change itself.
    const changed = this.changedAt;
    return changed !== undefined && changed > begun && this.host.coverage.covers(begun, changed) && begun < changed - this.host.getDeliveryBoundMs(changed);
  }

  /** Stops the waiting client (an attached client took over, or the observer closes). */
  stop(): void {
    const watch = this.watch;
    this.watch = undefined;
    this.endNoSession();
    if (watch) this.track(watch.stop());
  }

  /** Ends everything for good: no retries, no vouching, the waiting client gone. */
  async close(): Promise<void> {
    clearTimeout(this.retryTimer);
    this.endNoSession();
    await this.startingWatch;
    this.stop();
    await Promise.all([...this.stopping]);
  }

  /**
   * Starts the session watch (once): from the moment tmux registered it, a new session is announced.
   * Probes re-check once it vouches (each check is then answered by it), so the failing check a
   * recovery is measured from began inside the watched time. Without it, attach is retried every RETRY_MS.
   */
  private start(): void {
    const host = this.host;
    if (host.isClosed() || !host.isListened() || this.watch || this.startingWatch) return;
    let endSpan: ((at?: number) => void) | undefined;
    // A change in the same read as the ready reply comes before the span could begin: then none begins.
    let changed = false;
    // A watch being stopped may exit after its successor was adopted: its exit must not end the successor.
    let adopted: TmuxSessionWatch | undefined;
    this.startingWatch = TmuxSessionWatch.start(host.socket, {
      onSessionsChanged: (at) => {
        changed = true;
        this.changedAt = at;
        this.endNoSession();
        // The first change ends what the watch can vouch for: once a session exists, its windows change unannounced.
        endSpan?.(at);
        endSpan = undefined;
        // Attach first (synchronously up to the fork-free exec of the standby), so that the checks this
        // trigger starts send their queries on the attaching client instead of waiting for it.
        void host.connect(true);
        host.emit({ at, boundMs: host.getBaseBoundMs(), source: 'tmux.sessions' });
      },
      onExit: (at) => {
        changed = true;
        endSpan?.(at);
        endSpan = undefined;
        if (adopted === undefined || this.watch !== adopted) return;
        this.watch = undefined;
        this.endNoSession();
      },
    }, host.queryTimeoutMs)
      .then(({ watch, readyAt }) => {
        if (host.isClosed() || host.isAttached() || watch.pid === undefined) {
          this.track(watch.stop());
          return;
        }
        this.watch = watch;
        adopted = watch;
        if (changed) return;
        // A session made after the failed attach but before the watch was registered is never announced
        // to it: the watch vouches for nothing until a look begun after it was ready finds no session
        // either (a failed attach, or an empty list-sessions). A session alive at readyAt and gone by
        // then was announced (then `changed` is set).
        this.confirm = (lookBegun) => {
          if (lookBegun < readyAt) return;
          this.confirm = undefined;
          if (changed || this.watch !== watch || host.isClosed()) return;
          endSpan = host.coverage.begin(readyAt);
          this.noSessionSince = readyAt;
          host.emit(createUntimedTrigger('tmux.watching'));
        };
        void this.lookForSessions(readyAt);
      })
      .catch((error: unknown) => {
        host.addProblem(`cannot watch for a session: ${getErrorMessage(error)}`);
        this.scheduleRetry();
      })
      .finally(() => (this.startingWatch = undefined));
  }

  /**
   * Confirms the watch with a plain `list-sessions`, not a control client: tmux 3.3a dereferences a
   * control client's state before that client has finished identifying itself when a notification
   * goes out meanwhile (control_write, a NULL pointer: the server segfaults), and notifications are
   * frequent just when a session is killed or made. A session found: attach to it.
   */
  private async lookForSessions(after: number): Promise<void> {
    const begun = monotonicMs();
    const listed = await runTmux(this.host.socket, ['list-sessions', '-F', '#{session_name}'], { timeoutMs: this.host.queryTimeoutMs }).catch(() => undefined);
    if (this.host.isClosed() || !this.confirm) return;
    if (listed?.exitCode === 0 && listed.stdout.trim() === '' && begun >= after) this.confirm(begun);
    // A session (made before the watch registered, so never announced): attach at once (the attach makes every probe re-check).
    else if (listed?.exitCode === 0) void this.host.connect(true);
    else void this.host.connect();
  }

  // The watch no longer vouches that the server has no session (a change, its exit, its stop).
  private endNoSession(): void {
    this.noSessionSince = undefined;
    this.confirm = undefined;
    for (const wake of [...this.waiters]) wake();
  }

  private track(stopping: Promise<void>): void {
    this.stopping.add(stopping);
    void stopping.finally(() => this.stopping.delete(stopping));
  }

  private scheduleRetry(): void {
    const host = this.host;
    if (host.isClosed() || !host.isListened() || this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (host.isClosed() || host.isAttached()) return;
      void host.connect().then((attached) => {
        if (!attached && !this.watch && !this.startingWatch) this.scheduleRetry();
      });
    }, RETRY_MS);
  }
}
