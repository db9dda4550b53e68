// What the processes of one uid use, read from /proc without forking (it must work when fork fails).
import { readFileSync, readdirSync, statSync } from 'node:fs';

/** One process of the uid. */
export interface UidProcess {
  pid: number;
  ppid: number;
  /** Threads: RLIMIT_NPROC counts these, not processes. */
  threads: number;
  rssBytes: number;
  /** Start time in clock ticks since boot (field 22 of /proc/<pid>/stat). */
  startTicks: number;
}

/** Clock ticks per second of /proc times (USER_HZ, 100 on every mainstream Linux). */
export const CLOCK_TICKS_PER_SECOND = 100;

/**
 * Every process whose real uid is `uid`. Zombies are left out unless asked for: they hold no memory,
 * but until reaped they still count against RLIMIT_NPROC.
 */
export function listUidProcesses(uid: number, options: { includeZombies?: boolean } = {}): UidProcess[] {
  let names: string[];
  try {
    names = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: UidProcess[] = [];
  for (const name of names) {
    if (!/^\d+$/.test(name)) continue;
    // The owner of /proc/<pid> is the effective uid: a cheap filter before reading status.
    try {
      if (statSync(`/proc/${name}`).uid !== uid) continue;
    } catch {
      continue;
    }
    const process = readUidProcess(Number(name), uid, options.includeZombies ?? false);
    if (process) found.push(process);
  }
  return found;
}

type StatusField = 'Uid' | 'PPid' | 'Threads' | 'VmRSS';
// Compiled once: probes scan /proc several times a second.
const statusPatterns = Object.fromEntries((['Uid', 'PPid', 'Threads', 'VmRSS'] as const).map((key) => [key, new RegExp(`^${key}:\\s*(.*)$`, 'm')])) as Record<StatusField, RegExp>;

function readUidProcess(pid: number, uid: number, includeZombies: boolean): UidProcess | undefined {
  let status: string;
  let stat: string;
  try {
    status = readFileSync(`/proc/${pid}/status`, 'utf8');
    stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return undefined;
  }
  const field = (key: StatusField) => statusPatterns[key].exec(status)?.[1]?.trim();
  if (Number(field('Uid')?.split(/\s+/)[0]) !== uid) return undefined;
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  if (!includeZombies && (fields[0] === 'Z' || fields[0] === 'X')) return undefined;
  return {
    pid,
    ppid: Number(field('PPid')),
    threads: Number(field('Threads') ?? 1),
    rssBytes: Number.parseInt(field('VmRSS') ?? '0', 10) * 1024,
    startTicks: Number(fields[19]),
  };
}

/** Start time of `pid` when it is alive (not a zombie) and runs as `uid`; undefined otherwise. */
export function readLiveStartTicks(pid: number, uid: number): number | undefined {
  return readUidProcess(pid, uid, false)?.startTicks;
}

/** Threads of every process of `uid`, zombies included: what RLIMIT_NPROC counts. */
export function countUidThreads(uid: number): number {
  return listUidProcesses(uid, { includeZombies: true }).reduce((sum, process) => sum + process.threads, 0);
}

/**
 * The soft RLIMIT_NPROC of `pid` ("Max processes" in /proc/<pid>/limits): null when unlimited,
 * undefined when the process is gone.
 */
export function readProcessLimit(pid: number): number | null | undefined {
  let limits: string;
  try {
    limits = readFileSync(`/proc/${pid}/limits`, 'utf8');
  } catch {
    return undefined;
  }
  const soft = /^Max processes\s+(\S+)/m.exec(limits)?.[1];
  return soft === undefined || soft === 'unlimited' ? null : Number(soft);
}

/** Seconds since boot, for process ages. */
export function readUptimeSeconds(): number {
  try {
    return Number.parseFloat(readFileSync('/proc/uptime', 'utf8').split(' ')[0]!);
  } catch {
    return 0;
  }
}

/** Age of a process in ms. */
export function getProcessAgeMs(process: UidProcess, uptimeSeconds = readUptimeSeconds()): number {
  return (uptimeSeconds - process.startTicks / CLOCK_TICKS_PER_SECOND) * 1000;
}

/**
 * The processes of the uid that are not in the instance's process tree (not one of `roots` nor
 * below one of them): leaked or orphaned background processes, by the orchestrator's own account.
 */
export function findStrays(processes: readonly UidProcess[], roots: ReadonlySet<number>): UidProcess[] {
  const byPid = new Map(processes.map((process) => [process.pid, process]));
  const ours = new Map<number, boolean>();
  const isOurs = (pid: number, seen = new Set<number>()): boolean => {
    const known = ours.get(pid);
    if (known !== undefined) return known;
    if (roots.has(pid)) return true;
    const process = byPid.get(pid);
    // A parent outside the uid (faultline, a shell, init) means the process is not the orchestrator's.
    if (!process || seen.has(pid)) return false;
    seen.add(pid);
    const result = isOurs(process.ppid, seen);
    ours.set(pid, result);
    return result;
  };
  return processes.filter((process) => !isOurs(process.pid));
}
