// How late a tmux notification can reach faultline after the change it announces: the slowest recent
// round trip through the same path, plus what the processes on the path waited for (or used) a CPU.
import { CpuWaitClock } from './cpu-waits.js';

const RTT_WINDOW = 16;
const MIN_BOUND_MS = 5;
// Readings of the path's CPU waits this often while probes listen: a notification's bound starts at one just before it.
const WAIT_READING_MS = 20;

/** The delivery bound of one tmux server's notifications; `getPids`: the processes on the path right now. */
export class DeliveryBound {
  private readonly rtts: number[] = [];
  private readonly waits: CpuWaitClock;
  private ticker: NodeJS.Timeout | undefined;

  constructor(getPids: () => readonly number[]) {
    this.waits = new CpuWaitClock(getPids);
  }

  /**
   * The slowest of the last round trips through the server → client → faultline path (a notification
   * makes half that trip), and at least 5 ms: tmux queues a notification behind the command that
   * caused it, and a server busy with that command's aftermath (a restarted agent starting up) emits
   * it milliseconds later — up to 3.2 ms after the healer's own post-command timestamp in
   * bench:accuracy, which checks the bound.
   */
  get baseMs(): number {
    return Math.max(MIN_BOUND_MS, ...this.rtts);
  }

  /** Keeps a query's round trip (only one that did not wait for an attach says how fast the path is). */
  recordRoundTrip(ms: number): void {
    this.rtts.push(ms);
    if (this.rtts.length > RTT_WINDOW) this.rtts.shift();
  }

  /** Reads the path's CPU waits now (on every notification). */
  mark(): void {
    this.waits.mark();
  }

  /** Takes readings every WAIT_READING_MS while anyone listens (started once; stop() ends them). */
  startReadings(): void {
    this.ticker ??= setInterval(() => this.waits.mark(), WAIT_READING_MS).unref();
  }

  stopReadings(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  /** How late a notification that arrived at `to` (default: one not arrived by now) can be: the base bound plus the path's CPU waits meanwhile. */
  getLatenessMs(to?: number): number {
    return this.waits.getLatenessBound(this.baseMs, to);
  }
}
