// One run per target: an exclusive lock per target, held for the whole run, that the kernel releases
// when its holder dies (kill -9 included), so it never needs to be broken by hand.
//
// The locks are flock(2) on root-only files keyed by what the target touches: its canonical home, each
// canonical root, its canonical tmux socket and supervisord config (a reference instance: its directory
// and socket). Two copies or links of one target file, or an external file whose home is a reference
// instance, take the same keys; one lock per key, taken in sorted order, all or none. Node has no flock: the
// file is opened here and util-linux `flock -n 3` locks the inherited descriptor and exits; the lock
// belongs to the open file description, which only this process keeps open, so it lasts exactly as
// long as this process holds the fd — no helper process stays behind and no pid is ever trusted. The
// file is unlinked on release, under the lock; an acquirer checks that the path still names the inode
// it locked (a releaser may have unlinked it meanwhile) and tries again when not.
import { createHash } from 'node:crypto';
import { closeSync, constants, existsSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { spawn } from 'node:child_process';
import { TargetBusyError } from '../errors.js';
import { readLiveStartTicks } from '../util/proc-usage.js';
import type { TargetDescriptor } from './ledger.js';

/** Who holds a target's lock (written into the lock file once it is held). */
export interface TargetLockHolder {
  /** The target's canonical path. */
  key: string;
  pid: number;
  /** Start time of `pid` in clock ticks (tells a recycled pid apart in messages). */
  pidStart?: number;
  /** What holds it: a run id, `recover`, `target up`, `plan`. */
  purpose: string;
  /** The holder's command line, for the message a refused run prints. */
  command: string;
  at: string;
}

/** A held lock; release() is idempotent. */
export interface TargetLock {
  readonly key: string;
  readonly path: string;
  release(): void;
}

/** The outcome of a non-blocking attempt: the lock, or who holds it (undefined when unreadable). */
export type TargetLockAttempt = { lock: TargetLock } | { busy: true; holder: TargetLockHolder | undefined };

const BUSY_EXIT = 75;

/**
 * Where the lock files live: root-only, outside every target's tree (a target could swap a file in its
 * own dir), and fixed, never from the environment: `sudo faultline run` and a user's run, or two runs
 * with different $TMPDIRs, must see each other's locks.
 */
export function getTargetLockDir(): string {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0 && existsSync('/run')) return '/run/faultline/targets';
  return `/tmp/faultline-targets-${uid}`;
}

/** The canonical path of a target's own record (its instance directory or target file); see getTargetLockKeys for what a run locks. */
export function getTargetLockKey(descriptor: TargetDescriptor): string {
  return canonicalizePath('dir' in descriptor ? descriptor.dir : descriptor.file);
}

/**
 * The keys a target is locked by, sorted: what it touches — its canonical home and roots (plain paths,
 * so an external file whose home is a reference instance meets that instance's key), its tmux socket
 * (`tmux:<canonical path>`) and supervisord config (`supervisord:<canonical path>`). A target file that
 * cannot be read is locked by its own canonical path (the run then refuses it with the file's error).
 */
export async function getTargetLockKeys(descriptor: TargetDescriptor): Promise<string[]> {
  if ('dir' in descriptor) {
    const dir = canonicalizePath(descriptor.dir);
    return sortKeys([dir, `tmux:${canonicalizePath(join(dir, 'tmux.sock'))}`]);
  }
  const { readTargetFile } = await import('../targets/external.js');
  const { resolveTmuxSocket } = await import('../targets/tmux-socket.js');
  let spec;
  try {
    spec = await readTargetFile(descriptor.file);
  } catch {
    return [getTargetLockKey(descriptor)];
  }
  const base = dirname(resolve(descriptor.file));
  const abs = (path: string) => resolve(base, path);
  const keys = [canonicalizePath(abs(spec.home)), ...spec.roots.map((root) => canonicalizePath(abs(root)))];
  if (spec.tmux) {
    const socket = spec.tmux.socketPath
      ? { socketPath: abs(spec.tmux.socketPath) }
      : { socketName: spec.tmux.socketName ?? 'default', ...(spec.tmux.tmpdir ? { tmpdir: abs(spec.tmux.tmpdir) } : {}) };
    keys.push(`tmux:${resolveTmuxSocket(socket)}`);
  }
  if (spec.supervisord) keys.push(`supervisord:${canonicalizePath(abs(spec.supervisord.config))}`);
  return sortKeys(keys);
}

function sortKeys(keys: readonly string[]): string[] {
  return [...new Set(keys)].sort();
}

/** The real path of `path`, or of its nearest existing ancestor joined with the rest. */
export function canonicalizePath(path: string): string {
  const absolute = resolve(path);
  try {
    return realpathSync(absolute);
  } catch {
    const parent = dirname(absolute);
    return parent === absolute ? absolute : join(canonicalizePath(parent), basename(absolute));
  }
}

/** Tries to take the lock on `key` without waiting. */
export async function tryTargetLock(key: string, purpose: string, lockDir = getTargetLockDir()): Promise<TargetLockAttempt> {
  ensurePrivateDir(lockDir);
  const path = join(lockDir, `${createHash('sha256').update(key).digest('hex').slice(0, 32)}.lock`);
  for (let attempt = 0; attempt < 20; attempt++) {
    const fd = openSync(path, constants.O_RDWR | constants.O_CREAT | constants.O_NOFOLLOW, 0o600);
    let held = false;
    try {
      const result = await runFlock(fd);
      if (result.exitCode === BUSY_EXIT) return { busy: true, holder: readHolder(fd) };
      if (result.exitCode !== 0) throw new Error(`could not lock ${path} with flock (util-linux, needed for one run per target): ${result.detail}`);
      // Unlinked (and maybe created again) by a releaser between our open and our lock: that inode locks nothing.
      if (!isSameFile(fd, path)) continue;
      held = true;
    } finally {
      if (!held) closeSync(fd);
    }
    writeHolder(fd, { key, pid: process.pid, pidStart: readLiveStartTicks(process.pid, process.getuid?.() ?? 0), purpose, command: process.argv.slice(1).join(' '), at: new Date().toISOString() });
    return { lock: createHeldLock(key, path, fd) };
  }
  throw new Error(`could not lock ${path}: it was replaced 20 times in a row`);
}

/** Takes the lock on `key`; a TargetBusyError (exit 2) names the holder when another process has it. */
export async function acquireTargetLock(key: string, purpose: string, lockDir = getTargetLockDir()): Promise<TargetLock> {
  const attempt = await tryTargetLock(key, purpose, lockDir);
  if ('lock' in attempt) return attempt.lock;
  throw new TargetBusyError(`${key} is in use by ${describeHolder(attempt.holder)}`, {
    hint: 'one run per target at a time: wait for it to end, or stop it (Ctrl-C rolls back; after a kill -9, run `faultline recover`)',
  });
}

/** Takes the locks on every key (sorted, so two runs never wait on each other in opposite orders); all or none. */
export async function acquireTargetLocks(keys: Iterable<string>, purpose: string, lockDir = getTargetLockDir()): Promise<TargetLock[]> {
  const locks: TargetLock[] = [];
  try {
    for (const key of [...new Set(keys)].sort()) locks.push(await acquireTargetLock(key, purpose, lockDir));
  } catch (error) {
    for (const lock of locks) lock.release();
    throw error;
  }
  return locks;
}

/** Tries to take every key's lock without waiting (sorted); all or none: who holds one when another process does. */
export async function tryTargetLocks(keys: Iterable<string>, purpose: string, lockDir = getTargetLockDir()): Promise<{ locks: TargetLock[] } | { busy: true; key: string; holder: TargetLockHolder | undefined }> {
  const locks: TargetLock[] = [];
  try {
    for (const key of sortKeys([...keys])) {
      const attempt = await tryTargetLock(key, purpose, lockDir);
      if ('busy' in attempt) {
        for (const lock of locks) lock.release();
        return { busy: true, key, holder: attempt.holder };
      }
      locks.push(attempt.lock);
    }
  } catch (error) {
    for (const lock of locks) lock.release();
    throw error;
  }
  return { locks };
}

/** One lock standing for several (release() releases them all); its key is the first key's. */
export function combineTargetLocks(locks: readonly TargetLock[]): TargetLock {
  return {
    key: locks[0]?.key ?? '',
    path: locks[0]?.path ?? '',
    release() {
      for (const lock of locks) lock.release();
    },
  };
}

/** "faultline run (pid 123, run 20260101-…, since …)": the holder as a message names it. */
export function describeHolder(holder: TargetLockHolder | undefined): string {
  if (!holder) return 'another faultline process (its lock holds no readable record yet)';
  const alive = readLiveStartTicks(holder.pid, process.getuid?.() ?? 0);
  const who = holder.pidStart !== undefined && alive !== undefined && alive !== holder.pidStart ? `pid ${holder.pid} (recycled?)` : `pid ${holder.pid}`;
  return `another faultline process: ${who}, ${holder.purpose}, since ${holder.at}: ${holder.command}`;
}

// `flock -n 3` on our descriptor, passed as the child's fd 3 (execa takes no raw descriptor beyond
// stdio, hence spawn, still with an argument array). The lock outlives the child: it is the description's.
function runFlock(fd: number): Promise<{ exitCode: number | null; detail: string }> {
  return new Promise((resolvePromise) => {
    const child = spawn('flock', ['-x', '-n', '-E', String(BUSY_EXIT), '3'], { stdio: ['ignore', 'ignore', 'pipe', fd], timeout: 10_000 });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += String(chunk)));
    child.once('error', (error) => resolvePromise({ exitCode: null, detail: error.message }));
    child.once('close', (code, signal) => resolvePromise({ exitCode: code, detail: stderr.trim() || (signal ? `killed by ${signal}` : `exit ${code}`) }));
  });
}

function createHeldLock(key: string, path: string, fd: number): TargetLock {
  let open = true;
  return {
    key,
    path,
    release() {
      if (!open) return;
      open = false;
      try {
        // Still ours (only a holder unlinks, and we hold it): removing it leaves nothing behind.
        if (isSameFile(fd, path)) unlinkSync(path);
      } finally {
        closeSync(fd);
      }
    },
  };
}

function isSameFile(fd: number, path: string): boolean {
  try {
    const held = fstatSync(fd);
    const named = lstatSync(path);
    return held.dev === named.dev && held.ino === named.ino;
  } catch {
    return false;
  }
}

// In place, on the locked inode (a rename would put an unlocked file at the path).
function writeHolder(fd: number, holder: TargetLockHolder): void {
  const text = Buffer.from(`${JSON.stringify(holder)}\n`);
  ftruncateSync(fd, 0);
  writeSync(fd, text, 0, text.length, 0);
  fsyncSync(fd);
}

function readHolder(fd: number): TargetLockHolder | undefined {
  try {
    const holder = JSON.parse(readFileSync(fd, 'utf8')) as TargetLockHolder;
    return Number.isInteger(holder.pid) && typeof holder.key === 'string' ? holder : undefined;
  } catch {
    return undefined;
  }
}

// Ours alone: a directory another user made (e.g. under a world-writable /tmp) could hold planted files.
function ensurePrivateDir(lockDir: string): void {
  mkdirSync(lockDir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(lockDir);
  if (!stat.isDirectory() || stat.uid !== (process.getuid?.() ?? 0) || (stat.mode & 0o077) !== 0) {
    throw new Error(`the target lock directory ${lockDir} is not a directory private to this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)}): remove it so faultline can create it again`);
  }
}
