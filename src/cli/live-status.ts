// One status line on a terminal, rewritten in place: the run's phase, a countdown and the whole run's ETA.
import type { RunPhase } from '../run/progress.js';
import { getTerminalWidth } from './terminal-width.js';
import { paint } from './paint.js';

const PHASE_WORDS: Record<RunPhase, string> = {
  'steady-state': 'waiting for the steady state',
  injecting: 'injecting',
  recovering: 'waiting for recovery',
  'rolling-back': 'rolling back',
};

/** The stream the line is drawn on (a TTY: stderr). */
export interface StatusStream {
  write(text: string): unknown;
  columns?: number;
}

/**
 * Draws "run 2/3 · waiting for recovery 3.2 s / 8 s · ETA 41 s" on one line, redrawn every tick.
 * No library: a single line needs only a carriage return and an erase, and the printer clears it
 * before each line it writes, so the two never interleave.
 */
export class LiveStatus {
  private phase: { label: string; word: string; startedAt: number; limitMs?: number } | undefined;
  private timer: NodeJS.Timeout | undefined;
  private drawn = false;
  private runsDone = 0;
  private readonly startedAt = performance.now();
  private finishedAt = this.startedAt;
  private runStartedAt: number | undefined;

  constructor(private readonly out: StatusStream, private totalRuns: number, private readonly tickMs = 200) {}

  /** The runs of the whole run, as its run.start event gives them (for the ETA). */
  setTotalRuns(totalRuns: number): void {
    this.totalRuns = totalRuns;
  }

  /** A phase began: show it and count down (or up) from now. */
  setPhase(label: string, phase: RunPhase, limitMs?: number): void {
    const now = performance.now();
    if (phase === 'steady-state') this.runStartedAt = now;
    this.phase = { label, word: PHASE_WORDS[phase], startedAt: now, ...(limitMs === undefined ? {} : { limitMs }) };
    this.timer ??= setInterval(() => this.draw(), this.tickMs).unref();
    this.draw();
  }

  /** A run ended (whatever its result): nothing to count down until the next phase; the ETA is the mean run time so far times the runs left. */
  countRun(): void {
    this.runsDone += 1;
    this.finishedAt = performance.now();
    this.runStartedAt = undefined;
    this.phase = undefined;
    this.clear();
  }

  /** Erases the line, so a normal line can be written; the next tick draws it again. */
  clear(): void {
    if (this.drawn) this.out.write('\r\u001b[2K');
    this.drawn = false;
  }

  /** Erases the line and stops drawing. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.phase = undefined;
    this.clear();
  }

  /** The line as it reads now (without colour), for tests and for drawing. */
  describe(now = performance.now()): string | undefined {
    if (!this.phase) return undefined;
    const elapsed = now - this.phase.startedAt;
    const clock = this.phase.limitMs === undefined ? formatSeconds(elapsed) : `${formatSeconds(elapsed)} / ${formatSeconds(this.phase.limitMs)}`;
    return `${this.phase.label} · ${this.phase.word} ${clock}${this.describeEta(now)}`;
  }

  private describeEta(now: number): string {
    const left = this.totalRuns - this.runsDone;
    if (this.runsDone === 0 || left <= 0) return '';
    // The mean time per finished run (target starts included), less what the current run has used.
    const perRun = (this.finishedAt - this.startedAt) / this.runsDone;
    const remaining = Math.max(0, perRun * left - (this.runStartedAt === undefined ? 0 : now - this.runStartedAt));
    return ` · ETA ${formatEta(remaining)} (${left} of ${this.totalRuns} runs left)`;
  }

  private draw(): void {
    const line = this.describe();
    if (line === undefined) return;
    // A terminal that reports no size (0, as under `script`) gets $COLUMNS or 80.
    const width = Math.max(20, getTerminalWidth({ columns: this.out.columns || undefined }) - 1);
    const shown = [...line].length > width ? `${[...line].slice(0, width - 1).join('')}…` : line;
    this.out.write(`\r\u001b[2K${paint.dim(shown)}`);
    this.drawn = true;
  }
}

function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function formatEta(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 90 ? `${seconds} s` : `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}
