// Whether a pid is a live process, read from /proc (a zombie is not alive), with kill(0) where /proc is not there.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

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

/**
 * The one pidfile parser: the positive integer a pidfile holds; undefined when missing, empty or malformed,
 * and when it is not a regular file. Root reads pidfiles in directories a target owns: a FIFO there must
 * not block stop (O_NONBLOCK), a link to /dev/zero must not be read without end (64 bytes at most).
 */
export function readPidFileNumber(path: string): number | undefined {
  try {
    const pid = Number.parseInt(readPidFileText(path).trim(), 10);
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

function readPidFileText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    if (!fstatSync(fd).isFile()) return '';
    const buffer = Buffer.alloc(64);
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0)).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
