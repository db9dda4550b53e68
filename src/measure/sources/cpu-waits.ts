// How long the processes an event passes through waited for a CPU (/proc/<pid>/schedstat: time
// spent runnable on a runqueue). On a loaded host an event is late by about that much, so a delivery
// bound that holds on a quiet host grows by exactly what the host took away — no more, no less.
// The other processes of the path (the tmux server, the relaying client) also count the time they
// ran: a server that creates a session forks its pane and runs the rest of the command before it
// announces the change, and on a loaded host that work alone took 20 ms.
import { readFileSync } from 'node:fs';
import { monotonicMs } from '../../util/clock.js';

interface Reading {
  at: number;
  /** Cumulative runqueue wait per pid (ms). */
  waits: Map<number, number>;
  /** A process of the path was runnable when read: its current wait is not accounted yet (undefined: not read). */
  runnable: boolean | undefined;
}

const MAX_READINGS = 256;
// Readings this close together are one (several probes evaluate the same moment).
const SAME_READING_MS = 0.05;

/** Readings of the runqueue waits of a changing set of processes, to bound an event's lateness. */
export class CpuWaitClock {
  private readonly readings: Reading[] = [];

  /** `getPids`: the processes on the path right now; `ownThread`: faultline's own thread, which is running when read (never "runnable"). */
  constructor(private readonly getPids: () => readonly number[], private readonly ownThread = process.pid) {}

  /** Takes a reading now (or reuses one just taken); `states`: also read whether each process is runnable (two more reads each). */
  mark(states = false): Reading {
    const last = this.readings.at(-1);
    const at = monotonicMs();
    if (last && at - last.at < SAME_READING_MS && (!states || last.runnable !== undefined)) return last;
    const waits = new Map<number, number>();
    let runnable: boolean | undefined = states ? false : undefined;
    for (const pid of new Set([this.ownThread, ...this.getPids()])) {
      const wait = readWaitMs(pid, pid !== this.ownThread);
      if (wait === undefined) continue;
      waits.set(pid, wait);
      if (states && pid !== this.ownThread && isRunnable(pid)) runnable = true;
    }
    const reading = { at, waits, runnable };
    this.readings.push(reading);
    if (this.readings.length > MAX_READINGS) this.readings.shift();
    return reading;
  }

  /**
   * How late an event that arrived at `to` (default: now) can be, given it is late by at most
   * `baseMs` plus what the processes on its path waited for a CPU meanwhile. An event still in flight
   * over all of [r, to] since a reading r spent that time being processed (≤ baseMs) or waiting
   * (≤ the waits between the readings); so when to − r exceeds both, the event's change came after r,
   * and it is late by at most baseMs + the waits since r. The latest such reading gives the bound;
   * Infinity when none does, or when `to` is now and a process is runnable (a wait not yet accounted).
   */
  getLatenessBound(baseMs: number, to?: number): number {
    // A bound asked for this very moment: a wait under way now is not accounted yet.
    const now = to === undefined || monotonicMs() - to < 1;
    const until = to ?? monotonicMs();
    const end = now ? this.mark(true) : (this.readings.find((reading) => reading.at >= until) ?? this.mark());
    if (end.at < until || (now && end.runnable)) return Number.POSITIVE_INFINITY;
    for (let index = this.readings.length - 1; index >= 0; index -= 1) {
      const reading = this.readings[index]!;
      if (reading.at >= until) continue;
      const bound = baseMs + this.getWaitedMs(reading, end);
      if (until - reading.at > bound) return bound;
    }
    return Number.POSITIVE_INFINITY;
  }

  // What the processes of `end` waited since `start` (a process new since then: all of its waits).
  private getWaitedMs(start: Reading, end: Reading): number {
    let waited = 0;
    for (const [pid, wait] of end.waits) waited += wait - (start.waits.get(pid) ?? 0);
    return waited;
  }
}

// Field 2 of /proc/<pid>/schedstat: ns spent waiting on a runqueue; `withRun`: plus field 1, ns spent running.
function readWaitMs(pid: number, withRun: boolean): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ');
    const ns = Number(fields[1]) + (withRun ? Number(fields[0]) : 0);
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
