// Exclusive claims on dedicated uids: one root-owned lock file per uid names the instance directory
// that holds it. Two instances starting at the same moment never share a uid, and stop learns which
// uid is an instance's from here, never from target.json (which that uid can rewrite).
// A lock is created only where none is (link never replaces), and removed — released, or taken over
// when stale — only by a process holding the uid's removal guard (`<uid>.lock.takeover`): between
// its check and its unlink nothing else can remove the lock it checked, so no one can have created a
// new one in its place, and a live lock is never deleted.
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, fstatSync, fsyncSync, linkSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetError } from '../../errors.js';
import { isPidAlive } from '../../util/pid.js';
import { listUidProcesses, readLiveStartTicks } from '../../util/proc-usage.js';

/** Contents of `<lockDir>/<uid>.lock`. */
export interface UidLock {
  uid: number;
  /** The instance directory (real path) that holds the uid. */
  dir: string;
  /** The process that took the lock, and its start time (a recycled pid is not mistaken for it). */
  pid: number;
  pidStart?: number;
  /** Epoch ms. */
  at: number;
}

/** A lock file as read: its text and the file it was read from (a lock removed and created again is another file). */
export interface SeenLock {
  text: string;
  dev: number;
  ino: number;
}

/** Where the locks live: root-only and outside every instance's tree. */
export function getUidLockDir(): string {
  return existsSync('/run') ? '/run/faultline/uids' : join(tmpdir(), 'faultline-uids');
}

/**
 * Takes the lock on `uid` for the instance in `dir`; false when another instance holds it. A lock
 * is stale, and taken over, when nothing runs as the uid and its holder is gone or its dir is.
 */
export function acquireUidLock(uid: number, dir: string, lockDir = getUidLockDir()): boolean {
  ensurePrivateDir(lockDir);
  removeOrphanTemps(lockDir);
  const path = getLockPath(lockDir, uid);
  const self = process.getuid?.() ?? 0;
  const record: UidLock = { uid, dir, pid: process.pid, pidStart: readLiveStartTicks(process.pid, self), at: Date.now() };
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(path, `${JSON.stringify(record)}\n`)) return true;
    const seen = readSeenLock(path);
    if (seen === undefined) continue; // Released meanwhile: try again.
    if (!isLockStale(parseLock(seen.text), uid)) return false;
    if (!removeIfUnchanged(path, seen)) return false;
  }
  return false;
}

/** Releases the lock on `uid` if `dir` holds it; true when it did. */
export function releaseUidLock(uid: number, dir: string, lockDir = getUidLockDir()): boolean {
  const path = getLockPath(lockDir, uid);
  const seen = readSeenLock(path);
  if (seen === undefined || parseLock(seen.text)?.dir !== dir) return false;
  // Another remover holds the guard for a few syscalls: up to 10 ms of retries (a blocking wait, but only
  // when two removals collide), then give up: the lock goes stale and the next start takes it over.
  for (let attempt = 0; attempt < 10; attempt++) {
    if (removeIfUnchanged(path, seen)) return true;
    if (!existsSync(getGuardPath(path))) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
  return false;
}

/**
 * A removal guard on `uid` whose holder died (killed inside the few syscalls it guards): no lock of the
 * uid can be released or taken over until it is removed by hand. Returns its path, for messages.
 */
export function findDeadGuard(uid: number, lockDir = getUidLockDir()): string | undefined {
  const guard = getGuardPath(getLockPath(lockDir, uid));
  const text = readText(guard);
  if (text === undefined) return undefined;
  const holder = parseGuard(text);
  const started = holder && readLiveStartTicks(holder.pid, process.getuid?.() ?? 0);
  const alive = started !== undefined && (holder!.pidStart === undefined || started === holder!.pidStart);
  return alive ? undefined : guard;
}

/** Removes the lock file at `path` only if it is still the one seen; false when it changed, is gone or the guard is busy. */
export function removeIfUnchanged(path: string, seen: SeenLock): boolean {
  const guard = getGuardPath(path);
  const self = process.getuid?.() ?? 0;
  if (!createExclusive(guard, `${JSON.stringify({ pid: process.pid, pidStart: readLiveStartTicks(process.pid, self), at: Date.now() })}\n`)) return false;
  try {
    const now = readSeenLock(path);
    if (now === undefined || now.dev !== seen.dev || now.ino !== seen.ino || now.text !== seen.text) return false;
    rmSync(path);
    return true;
  } finally {
    rmSync(guard, { force: true });
  }
}

/** The lock file at `path` as it is now; undefined when there is none. */
export function readSeenLock(path: string): SeenLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch {
    return undefined;
  }
  try {
    const { dev, ino } = fstatSync(fd);
    return { text: readFileSync(fd, 'utf8'), dev, ino };
  } finally {
    closeSync(fd);
  }
}

/** The lock on `uid`, when one is held. */
export function readUidLock(uid: number, lockDir = getUidLockDir()): UidLock | undefined {
  const text = readText(getLockPath(lockDir, uid));
  return text === undefined ? undefined : parseLock(text);
}

/** Every lock held by one of `dirs` (an instance's path and its real path). */
export function findUidLocks(dirs: readonly string[], lockDir = getUidLockDir()): UidLock[] {
  let names: string[];
  try {
    names = readdirSync(lockDir);
  } catch {
    return [];
  }
  // Stop and recover come here after a crash: what a killed writer left goes too.
  removeOrphanTemps(lockDir);
  return names
    .filter((name) => /^\d+\.lock$/.test(name))
    .map((name) => readUidLock(Number.parseInt(name, 10), lockDir))
    .filter((lock): lock is UidLock => lock !== undefined && dirs.includes(lock.dir));
}

/** True when the lock may be taken over: nothing runs as the uid (zombies count) and its holder or its dir is gone. */
export function isLockStale(lock: UidLock | undefined, uid: number): boolean {
  if (listUidProcesses(uid, { includeZombies: true }).length > 0) return false;
  if (lock === undefined) return true; // Unreadable (written by hand or corrupted): nothing runs, so nothing is lost.
  const started = readLiveStartTicks(lock.pid, process.getuid?.() ?? 0);
  const holderAlive = started !== undefined && (lock.pidStart === undefined || started === lock.pidStart);
  return !holderAlive || !existsSync(lock.dir);
}

/** The path of the lock file on `uid`. */
export function getLockPath(lockDir: string, uid: number): string {
  return join(lockDir, `${uid}.lock`);
}

function getGuardPath(lockPath: string): string {
  return `${lockPath}.takeover`;
}

// The lock dir must be ours alone: a dir another user created (e.g. under a world-writable /tmp) could hold forged locks.
function ensurePrivateDir(lockDir: string): void {
  mkdirSync(lockDir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(lockDir);
  if (!stat.isDirectory() || stat.uid !== (process.getuid?.() ?? 0) || (stat.mode & 0o077) !== 0) {
    throw new TargetError(`the uid lock directory ${lockDir} is not a directory private to this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`, {
      hint: `remove it (rm -r ${lockDir}) so faultline can create it again with mode 700`,
    });
  }
}

// A writer killed between writing its temp file and removing it leaves `<uid>.lock.<pid>.<hex>.tmp`:
// removed once that pid is gone (a temp file is never a lock, so this can take nothing from anyone).
function removeOrphanTemps(lockDir: string): void {
  for (const name of readdirSync(lockDir)) {
    const pid = Number(/\.lock\.(\d+)\.[0-9a-f]+\.tmp$/.exec(name)?.[1]);
    if (!Number.isInteger(pid) || pid <= 0 || isPidAlive(pid)) continue;
    rmSync(join(lockDir, name), { force: true });
  }
}

// Written whole to a temp file, then linked into place: link never replaces, and a reader never sees half a lock.
function createExclusive(path: string, text: string): boolean {
  const temp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temp, 'wx', 0o600);
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temp, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temp, { force: true });
  }
}

function readText(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function parseLock(text: string): UidLock | undefined {
  try {
    const lock = JSON.parse(text) as UidLock;
    return Number.isInteger(lock.uid) && typeof lock.dir === 'string' && Number.isInteger(lock.pid) ? lock : undefined;
  } catch {
    return undefined;
  }
}

function parseGuard(text: string): { pid: number; pidStart?: number } | undefined {
  try {
    const guard = JSON.parse(text) as { pid: number; pidStart?: number };
    return Number.isInteger(guard.pid) ? guard : undefined;
  } catch {
    return undefined;
  }
}
