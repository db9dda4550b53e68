// Whether a pid is a live process, read from /proc (a zombie is not alive), with kill(0) where /proc is not there.
import { readFileSync } from 'node:fs';

/** True when `pid` names a running (not zombie) process. */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 1) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
  }
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The one pidfile parser: the positive integer a pidfile holds; undefined when missing, empty or malformed. */
export function readPidFileNumber(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(path, 'utf8').trim(), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** The pid a pidfile vouches for: never 0 or 1 (a pidfile never makes init anyone's process). */
export function readPidFile(path: string): number | undefined {
  const pid = readPidFileNumber(path);
  return pid !== undefined && pid > 1 ? pid : undefined;
}
