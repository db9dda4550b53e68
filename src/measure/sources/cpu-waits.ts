// How long the processes an event passes through waited for a CPU (/proc/<pid>/schedstat: time
// spent runnable on a runqueue). On a loaded host an event is late by about that much, so a delivery
// bound that holds on a quiet host grows by exactly what the host took away — no more, no less.
import { readFileSync } from 'node:fs';
import { monotonicMs } from '../../util/clock.js';

interface Reading {
  at: number;
  /** Cumulative runqueue wait per pid (ms). */
  waits: Map<number, number>;
  /** A process of the path was runnable when read: its current wait is not accounted yet. */
  runnable: boolean;
}

const MAX_READINGS = 256;
// Readings this close together are one (several probes evaluate the same moment).
const SAME_READING_MS = 0.05;

/** Readings of the runqueue waits of a changing set of processes, to bound an event's lateness. */
export class CpuWaitClock {
  private readonly readings: Reading[] = [];

  /** `getPids`: the processes on the path right now; `ownThread`: faultline's own thread, which is running when read (never "runnable"). */
  constructor(private readonly getPids: () => readonly number[], private readonly ownThread = process.pid) {}

  /** Takes a reading now (or reuses one just taken). */
  mark(): Reading {
    const last = this.readings.at(-1);
    const at = monotonicMs();
    if (last && at - last.at < SAME_READING_MS) return last;
    const waits = new Map<number, number>();
    let runnable = false;
    for (const pid of new Set([this.ownThread, ...this.getPids()])) {
      const wait = readWaitMs(pid);
      if (wait === undefined) continue;
      waits.set(pid, wait);
      if (pid !== this.ownThread && isRunnable(pid)) runnable = true;
    }
    const reading = { at, waits, runnable };
    this.readings.push(reading);
    if (this.readings.length > MAX_READINGS) this.readings.shift();
    return reading;
  }

  /**
   * Upper bound of how long the processes waited for a CPU within [from, to] (ms): from the latest
   * reading at or before `from` (when there is none, the first one, plus the time it came late) to a
   * reading at or after `to`. Infinity when `to` is now and a process is runnable (a wait under way).
   */
  getWaitedMs(from: number, to: number = monotonicMs()): number {
    const end = this.readings.find((reading) => reading.at >= to) ?? this.mark();
    if (end.at < to) return Number.POSITIVE_INFINITY;
    if (end.runnable && end === this.readings.at(-1) && end.at - to < 1) return Number.POSITIVE_INFINITY;
    const start = this.readings.findLast((reading) => reading.at <= from) ?? this.readings[0]!;
    // A reading taken after `from` misses what was waited in between: at most that long per process.
    const late = Math.max(0, start.at - from) * end.waits.size;
    let waited = late;
    for (const [pid, wait] of end.waits) waited += wait - (start.waits.get(pid) ?? 0);
    return waited;
  }
}

// Field 2 of /proc/<pid>/schedstat: ns spent waiting on a runqueue.
function readWaitMs(pid: number): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
    const ns = Number(fields[1]);
    return Number.isFinite(ns) ? ns / 1e6 : undefined;
  } catch {
    return undefined;
  }
}

function isRunnable(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'R';
  } catch {
    return false;
  }
}
