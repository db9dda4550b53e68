// Process bookkeeping by pidfile: start detached helpers, and only ever signal processes this instance started.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { closeSync, fchownSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive, readPidFile } from '../../util/pid.js';
import { openForAppend, writeFileReplacing } from '../../util/safe-fs.js';
import { getIdentityOptions, wrapWithBudget, type RunAs } from './run-as.js';

/** Arguments of a process's command line, or undefined when it is gone. */
export function readCommandLine(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch {
    // No /proc (macOS): ask ps (arguments with spaces split wrongly, which only makes the check stricter).
  }
  try {
    const text = execFileSync('ps', ['-o', 'args=', '-p', String(pid)], { encoding: 'utf8' }).trim();
    return text ? text.split(/\s+/) : undefined;
  } catch {
    return undefined;
  }
}

/**
 * True when `pid` is alive and is one of this instance's processes: every process the instance
 * starts has `dir` or a path under it as an argument, which also guards against a recycled pid.
 */
export async function isInstanceProcess(pid: number, dir: string): Promise<boolean> {
  if (pid === process.pid || !isPidAlive(pid)) return false;
  return (await readSettledCommandLine(pid))?.some((arg) => arg === dir || arg.startsWith(`${dir}/`)) ?? false;
}

/** How long an empty command line of a live process is re-read before it is taken as it is. */
const SETTLE_BUDGET_MS = 200;

// A live process's command line reads empty while it is inside execve (the new image has no arguments
// yet: prlimit exec'ing node right after spawn) or exiting (its memory is gone before it is a zombie).
// Taken at face value, a helper just started looked dead ("exited during start-up" with an empty log;
// 15 of 200 spawns read empty at least once). Re-read with a timer, not a blocking wait: the healer and
// the runner's samplers share this event loop, and a repair delayed here would skew what is measured.
async function readSettledCommandLine(pid: number): Promise<string[] | undefined> {
  const deadline = performance.now() + SETTLE_BUDGET_MS;
  for (;;) {
    const args = readCommandLine(pid);
    if (args === undefined || args.length > 0 || !isPidAlive(pid) || isKernelThread(pid) || performance.now() > deadline) return args;
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}

// Kernel threads have no command line at all; their parent is kthreadd (pid 2).
function isKernelThread(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return pid === 2 || stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] === '2';
  } catch {
    return false;
  }
}

/** Reads a pidfile (util/pid's one reader); undefined when missing, malformed, 0 or 1. */
export { readPidFile };

/**
 * Writes a pidfile atomically, so a reader never sees an empty one. Root writes it into run/, which the
 * instance's uid owns: through util/safe-fs, so a link planted at the name or its temp is never followed.
 */
export function writePidFile(path: string, pid: number): void {
  writeFileReplacing(path, `${pid}\n`);
}

/** Every pid recorded in `runDir/*.pid`. */
export function readRecordedPids(runDir: string): Array<{ file: string; pid: number }> {
  let names: string[];
  try {
    names = readdirSync(runDir);
  } catch {
    return [];
  }
  const found: Array<{ file: string; pid: number }> = [];
  for (const name of names) {
    if (!name.endsWith('.pid')) continue;
    const pid = readPidFile(join(runDir, name));
    if (pid !== undefined) found.push({ file: name, pid });
  }
  return found;
}

/**
 * Starts `node script args` in its own session (like nohup … &), detached and unref'd; returns its pid.
 * With `runAs` it runs as that uid under its process budget (prlimit execs node: the pid is node's).
 */
export function spawnDetached(nodePath: string, script: string, args: string[], options: { env: Record<string, string>; logFile: string; cwd: string; runAs?: RunAs }): number {
  // Opened by root in logs/, which the instance's uid owns: never through a link it planted there.
  const out = openForAppend(options.logFile);
  try {
    const identity = getIdentityOptions(options.runAs);
    // The output file must stay writable for the uid (the healer re-opens it when it restarts the scheduler).
    if (identity.uid !== undefined) fchownSync(out, identity.uid, identity.gid!);
    const [file, argv] = wrapWithBudget(options.runAs, nodePath, [script, ...args]);
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', out, out], env: options.env, cwd: options.cwd, ...identity });
    if (child.pid === undefined) throw new Error(`could not start ${script}`);
    child.on('error', () => undefined);
    child.unref();
    return child.pid;
  } finally {
    closeSync(out);
  }
}

/** Resolves true once `pid` is gone (or not ours any more), false after `timeoutMs`. */
export async function waitForExit(pid: number, dir: string, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (await isInstanceProcess(pid, dir)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return true;
}

/** SIGTERM, wait, then SIGKILL one of the instance's processes; never touches a process that is not ours. */
export async function terminateInstanceProcess(pid: number, dir: string, graceMs = 1500): Promise<boolean> {
  if (!(await isInstanceProcess(pid, dir))) return true;
  sendSignal(pid, 'SIGCONT');
  sendSignal(pid, 'SIGTERM');
  if (await waitForExit(pid, dir, graceMs)) return true;
  if (await isInstanceProcess(pid, dir)) sendSignal(pid, 'SIGKILL');
  return waitForExit(pid, dir, 2000);
}

function sendSignal(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}
