// Hog processes (sleepers, memory and CPU hogs) that resource faults start and must reap, also from
// another process after a crash. Each hog carries a marker in its environment, and is recorded with
// its start time: rollback signals a pid only while it is still that process (never a recycled pid),
// and finds hogs started just before a crash (not yet recorded) by their marker.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.js';
import { setNormalPriority } from '../util/priority.js';
import { readProcess } from './proc-table.js';

/** Environment variable that marks a hog: its value is the fault's marker. */
export const HOG_MARKER_ENV = 'FAULTLINE_HOG';

/** A hog's identity: pid plus start time (clock ticks since boot). */
export interface HogRecord {
  pid: number;
  startTime: number;
}

/** uid/gid to run hogs as; undefined = faultline's own. */
export type HogIdentity = { uid: number; gid: number } | undefined;

/** A fresh marker for one fault (goes into the state saved before inject). */
export function createHogMarker(): string {
  return randomBytes(8).toString('hex');
}

/** Starts one hog, detached (it outlives a crashed runner until recover or its own deadline) with cwd / (it pins no mount). */
export function spawnHog(file: string, args: string[], marker: string, identity: HogIdentity): HogRecord {
  const child = spawn(file, args, {
    detached: true,
    stdio: 'ignore',
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', [HOG_MARKER_ENV]: marker },
    ...(identity ?? {}),
  });
  child.on('error', () => undefined);
  child.unref();
  if (child.pid === undefined) throw new Error(`could not start ${file}`);
  // Not at faultline's raised measuring priority: a hog competes like any process of the target.
  setNormalPriority(child.pid);
  const info = readProcess(child.pid);
  if (!info) throw new Error(`${file} (pid ${child.pid}) exited at once`);
  return { pid: child.pid, startTime: info.startTime };
}

// One shell forks n - 1 sleepers in a loop, printing each pid, then becomes the last sleeper itself
// (exactly n processes). Only the shell's output reaches faultline.
const SLEEPER_BATCH_SCRIPT = 'n=$1; s=$2; i=1; while [ "$i" -lt "$n" ]; do sleep "$s" </dev/null >/dev/null 2>&1 & echo "$!"; i=$((i + 1)); done; echo done; exec sleep "$s" </dev/null >/dev/null 2>&1';
const BATCH_TIMEOUT_MS = 30_000;

/**
 * Starts `count` sleepers of `seconds` each from ONE shell forked by faultline (a fork from Node
 * costs milliseconds, tens on a loaded host; a fork from a small shell far less), marked and
 * detached like any hog. Returns every sleeper (the shell is the last one), each recorded with its
 * start time. It keeps faultline's priority while it forks:
 * the fault's strength is the number of processes, not their CPU share (they only sleep).
 */
export async function spawnSleeperBatch(count: number, seconds: string, marker: string, identity: HogIdentity): Promise<HogRecord[]> {
  const child = spawn('/bin/sh', ['-c', SLEEPER_BATCH_SCRIPT, 'faultline-sleepers', String(count), seconds], {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: '/',
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', [HOG_MARKER_ENV]: marker },
    ...(identity ?? {}),
  });
  child.unref();
  const records: HogRecord[] = [];
  const shell = child.pid !== undefined ? readProcess(child.pid) : undefined;
  if (shell) records.push({ pid: shell.pid, startTime: shell.startTime });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (stderr = (stderr + chunk).slice(-300)));
  const pids: number[] = [];
  const finished = await new Promise<boolean>((resolve) => {
    let buffer = '';
    const timer = setTimeout(() => resolve(false), BATCH_TIMEOUT_MS);
    child.once('error', () => resolve(false));
    child.once('exit', () => resolve(false));
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 1);
        if (line === 'done') {
          clearTimeout(timer);
          resolve(true);
          return;
        }
        if (/^\d+$/.test(line)) pids.push(Number(line));
      }
    });
  });
  child.stdout.destroy();
  child.stderr.destroy();
  for (const pid of pids) {
    const info = readProcess(pid);
    // A sleeper gone already (a duration shorter than the batch) holds nothing: nothing to record.
    if (info && info.state !== 'Z' && info.state !== 'X') records.push({ pid, startTime: info.startTime });
  }
  if (!finished) {
    const error = new Error(`the sleeper shell stopped after ${pids.length} of ${count} sleepers${stderr.trim() ? `: ${stderr.trim()}` : ''}`);
    Object.assign(error, { hogs: records });
    throw error;
  }
  return records;
}

/** Records the hogs in the fault's state directory (durably: recover reads it after a crash). */
export function recordHogs(stateDir: string, hogs: readonly HogRecord[]): void {
  writeFileAtomic(join(stateDir, 'hogs.json'), `${JSON.stringify(hogs)}\n`);
}

/** The hogs recorded for a fault; empty when none were (yet). */
export function readRecordedHogs(stateDir: string): HogRecord[] {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'hogs.json'), 'utf8')) as HogRecord[];
  } catch {
    return [];
  }
}

/** True while the recorded process is alive and still the same one. */
export function isHogAlive(hog: HogRecord): boolean {
  const info = readProcess(hog.pid);
  return info !== undefined && info.startTime === hog.startTime && info.state !== 'Z' && info.state !== 'X';
}

/** The live hogs of a fault: recorded ones still alive, plus any process carrying its marker. */
export function findLiveHogs(stateDir: string, marker: string): HogRecord[] {
  const found = new Map<number, HogRecord>();
  for (const hog of readRecordedHogs(stateDir)) if (isHogAlive(hog)) found.set(hog.pid, hog);
  for (const hog of findMarkedProcesses(marker)) found.set(hog.pid, hog);
  const forbidden = getForbiddenPids();
  return [...found.values()].filter((hog) => !forbidden.has(hog.pid));
}

/** SIGKILLs every live hog of a fault and waits (up to 3 s) until none is left; returns how many were reaped and how many remain. */
export async function reapHogs(stateDir: string, marker: string): Promise<{ reaped: number; remaining: HogRecord[] }> {
  const live = findLiveHogs(stateDir, marker);
  for (const hog of live) {
    try {
      process.kill(hog.pid, 'SIGKILL');
    } catch {
      // Gone already.
    }
  }
  // A zombie still counts against RLIMIT_NPROC until its parent reaps it: ours (Node reaps its own
  // children), or init for the sleepers of a batch whose shell was killed with them.
  const isLingering = (hog: HogRecord) => {
    const info = readProcess(hog.pid);
    return info !== undefined && info.startTime === hog.startTime;
  };
  const deadline = performance.now() + 3000;
  let lingering = live.filter(isLingering);
  while (lingering.length > 0 && performance.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    lingering = lingering.filter(isLingering);
  }
  const remaining = lingering.filter(isHogAlive);
  return { reaped: live.length - remaining.length, remaining: [...remaining, ...findMarkedProcesses(marker).filter((hog) => !remaining.some((left) => left.pid === hog.pid))] };
}

// Processes whose environment holds FAULTLINE_HOG=<marker> (readable for root or the same uid).
function findMarkedProcesses(marker: string): HogRecord[] {
  const needle = Buffer.from(`\0${HOG_MARKER_ENV}=${marker}\0`);
  const first = Buffer.from(`${HOG_MARKER_ENV}=${marker}\0`);
  const found: HogRecord[] = [];
  let names: string[] = [];
  try {
    names = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return found;
  }
  for (const name of names) {
    let environ: Buffer;
    try {
      environ = readFileSync(`/proc/${name}/environ`);
    } catch {
      continue;
    }
    if (!environ.includes(needle) && !environ.subarray(0, first.length).equals(first)) continue;
    const info = readProcess(Number(name));
    if (info && info.state !== 'Z' && info.state !== 'X') found.push({ pid: info.pid, startTime: info.startTime });
  }
  return found;
}

// Never signalled, whatever a record or marker says: init, faultline itself and its ancestors.
function getForbiddenPids(): Set<number> {
  const forbidden = new Set([0, 1, process.pid]);
  let current = readProcess(process.pid)?.ppid;
  while (current !== undefined && current > 1 && !forbidden.has(current)) {
    forbidden.add(current);
    current = readProcess(current)?.ppid;
  }
  return forbidden;
}
