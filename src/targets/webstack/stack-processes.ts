// Which processes are the stack's: a live pid whose command line names the instance dir and that runs
// as the stack's uid. Pidfiles live in run/, which that uid can rewrite, so a pid read there is never
// signalled on its say-so alone.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive, readPidFile } from '../../util/pid.js';

/** The real uid of a process, or undefined when it is gone. */
export function readProcessUid(pid: number): number | undefined {
  try {
    const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((entry) => entry.startsWith('Uid:'));
    return line === undefined ? undefined : Number(line.split(/\s+/)[1]);
  } catch {
    return undefined;
  }
}

/** True when `pid` is alive, runs as `uid` and its command line names a path in `dir`. */
export function isStackProcess(pid: number, dir: string, uid: number): boolean {
  if (pid <= 1 || pid === process.pid || !isPidAlive(pid) || readProcessUid(pid) !== uid) return false;
  try {
    const commandLine = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ');
    return commandLine.includes(`${dir}/`) || commandLine.split(' ').includes(dir);
  } catch {
    return false;
  }
}

/** Every pid recorded in run/*.pid. */
export function readStackPids(runDir: string): Array<{ name: string; pid: number }> {
  let names: string[];
  try {
    names = readdirSync(runDir).filter((name) => name.endsWith('.pid'));
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const pid = readPidFile(join(runDir, name));
    return pid === undefined ? [] : [{ name: name.slice(0, -4), pid }];
  });
}

/** Resolves true once `pid` is no longer the stack's (gone), false after `timeoutMs`. */
export async function waitForStackExit(pid: number, dir: string, uid: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (isStackProcess(pid, dir, uid)) {
    if (performance.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

/** SIGCONT + `signal`, wait `graceMs`, then SIGKILL; only a process that is the stack's. */
export async function terminateStackProcess(pid: number, dir: string, uid: number, graceMs: number, signal: NodeJS.Signals = 'SIGTERM'): Promise<boolean> {
  if (!isStackProcess(pid, dir, uid)) return true;
  send(pid, 'SIGCONT');
  send(pid, signal);
  if (await waitForStackExit(pid, dir, uid, graceMs)) return true;
  if (isStackProcess(pid, dir, uid)) send(pid, 'SIGKILL');
  return waitForStackExit(pid, dir, uid, 3000);
}

function send(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Gone.
  }
}
