// A snapshot of the host's processes from /proc: who is whose child, and a start time that tells a
// process from a later one that got the same (recycled) pid.
import { readFileSync, readdirSync } from 'node:fs';
import { GuardError } from '../errors.js';

/** One process as /proc shows it. */
export interface ProcInfo {
  pid: number;
  ppid: number;
  /** R, S, D, T (stopped), t (traced), Z (zombie), … */
  state: string;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat): with the pid, the process's identity. */
  startTime: number;
  /** argv, as in /proc/<pid>/cmdline. */
  argv: string[];
}

/** Reads one process; undefined when it is gone (or /proc is not there). */
export function readProcess(pid: number): ProcInfo | undefined {
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  // The command name (field 2) may hold spaces and parentheses: the fields after the last ')' are fixed.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  let argv: string[] = [];
  try {
    argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    // Gone between the two reads: the stat snapshot still says who it was.
  }
  return { pid, ppid: Number(fields[1]), state: fields[0] ?? '?', startTime: Number(fields[19]), argv };
}

/** Every process on the host, keyed by pid; throws GuardError where there is no /proc (process faults need it). */
export function readProcessTable(): Map<number, ProcInfo> {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch (error) {
    throw new GuardError('process faults need /proc (Linux) to tell the target’s processes from others', { cause: error });
  }
  const table = new Map<number, ProcInfo>();
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    const info = readProcess(Number(name));
    if (info) table.set(info.pid, info);
  }
  return table;
}

/** The pids below `roots` in the process tree (roots excluded). */
export function getDescendants(table: ReadonlyMap<number, ProcInfo>, roots: Iterable<number>): Set<number> {
  const children = new Map<number, number[]>();
  for (const info of table.values()) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info.pid]);
  const found = new Set<number>();
  const queue = [...roots];
  while (queue.length > 0) {
    for (const child of children.get(queue.pop()!) ?? []) {
      if (found.has(child)) continue;
      found.add(child);
      queue.push(child);
    }
  }
  return found;
}

/** The pids above `pid` in the process tree, up to init. */
export function getAncestors(table: ReadonlyMap<number, ProcInfo>, pid: number): Set<number> {
  const found = new Set<number>();
  let current = table.get(pid)?.ppid;
  while (current !== undefined && current > 0 && !found.has(current)) {
    found.add(current);
    current = table.get(current)?.ppid;
  }
  return found;
}

/** True when the process `pid` is still the one that started at `startTime` and is not a zombie. */
export function isSameProcessAlive(pid: number, startTime: number): boolean {
  const info = readProcess(pid);
  return info !== undefined && info.startTime === startTime && info.state !== 'Z' && info.state !== 'X';
}

/** Waits (up to `timeoutMs`) until every process is gone; true when they all are. */
export async function waitForProcessesGone(processes: readonly { pid: number; startTime: number }[], timeoutMs = 2000): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (processes.some((process) => isSameProcessAlive(process.pid, process.startTime))) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** True when the state letter means stopped by a signal (T) or by a tracer (t). */
export function isStoppedState(state: string): boolean {
  return state === 'T' || state === 't';
}

/**
 * A command line short enough for a message: absolute paths become their file names (so where the
 * checkout lives does not decide what is shown), then anything past `max` characters becomes "…".
 */
export function shortenCommand(command: string, max = 60): string {
  const short = command
    .split(' ')
    .map((word) => (word.startsWith('/') && word.length > 1 ? word.slice(word.lastIndexOf('/') + 1) || word : word))
    .join(' ');
  return short.length <= max ? short : `${short.slice(0, max - 1)}…`;
}
