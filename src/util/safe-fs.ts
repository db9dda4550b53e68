// File operations that faultline, running as root, does inside directories a target's uid owns.
//
// The target can swap any name in its own directories at any moment: replace a file by a symlink to
// /etc/shadow, by a hard link to a root-owned file, by a directory, or replace a whole directory.
// A path-based call (open with O_CREAT|O_TRUNC, chmod, chown, appendFile, rename onto a predictable
// temp name) follows whatever is there when it runs, so a check made just before it proves nothing.
// Everything here therefore works on file descriptors:
//
// - A directory is opened component by component from `/` with O_DIRECTORY|O_NOFOLLOW, each child
//   through `/proc/self/fd/<dirfd>/<name>` (the kernel resolves that magic link to the directory
//   the fd holds, and applies O_NOFOLLOW to <name>): a symlink anywhere in the path is refused, and
//   the directory's st_dev/st_ino is compared with what prepare recorded, so a directory moved away
//   and replaced is refused too. Node has no openat/fchownat/renameat; this gives the same
//   guarantees without a native addon (Linux only, needs /proc — faultline's targets are Linux).
// - A file in it is opened the same way with O_NOFOLLOW|O_NONBLOCK (a FIFO cannot block us) and
//   checked with fstat on the open fd (regular, one link, the recorded inode); contents, mode and
//   owner change only through that fd (write/ftruncate/fchmod/fchown/fsync).
// - rename, unlink and mkdir go through `/proc/self/fd/<dirfd>/<name>` paths: none of them follows
//   its last component, so a swapped-in link is replaced or removed, never written through.
// - New files are created with O_CREAT|O_EXCL|O_NOFOLLOW under an unpredictable name (crypto random)
//   that starts with a prefix recorded in the fault's ledger state beforehand, so a rollback killed
//   half-way leaves nothing `recover` cannot find and remove (`removeTempFiles`).
// A check that fails throws UnsafePathError; rollbacks turn it into `{ ok: false, detail }` (journalled,
// exit 4), prepares into a GuardError: faultline refuses rather than write somewhere else.
import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, constants, fchmodSync, fchownSync, fstatSync, fsyncSync, ftruncateSync, lstatSync, mkdirSync, openSync, readSync, readdirSync, renameSync, unlinkSync, writeSync, type BigIntStats } from 'node:fs';
import { basename, dirname, isAbsolute, sep } from 'node:path';

/** A check that would have let a write land outside what faultline recorded; the message says what was found. */
export class UnsafePathError extends Error {
  override name = 'UnsafePathError';
}

/** What a name in a directory is, seen without following it. */
export type EntryKind = 'missing' | 'file' | 'directory' | 'symlink' | 'other';

// O_NONBLOCK: opening a FIFO planted in place of a file must not hang the rollback.
// (libuv adds O_CLOEXEC to every open itself.)
const NO_FOLLOW = constants.O_NOFOLLOW | constants.O_NONBLOCK;
// Linux's O_PATH (same value on x86-64 and arm64); Node does not export it.
const O_PATH = 0o10000000;

type Hook = (operation: string, path: string) => void;
let hook: Hook | undefined;

/** For tests: runs `next` before each operation here (to swap a name at exactly that moment). */
export function setSafeFsHook(next: Hook | undefined): void {
  hook = next;
}

/** The identity ("dev:ino") of what an open fd refers to, exact (bigint stats). */
export function getFdIdentity(fd: number): string {
  return formatIdentity(fstatSync(fd, { bigint: true }));
}

/** The `/proc/self/fd` path of `name` inside the directory `dirFd` (for calls that take a path). */
export function getChildPath(dirFd: number, name: string): string {
  if (name === '' || name === '.' || name === '..' || name.includes('/') || name.includes('\0')) throw new UnsafePathError(`${JSON.stringify(name)} is not a plain file name`);
  return `/proc/self/fd/${dirFd}/${name}`;
}

/**
 * Opens the directory `path` (absolute, no symlink in it) for fd-relative work, refusing it when its
 * identity differs from `expected` (recorded at prepare). The caller closes the fd.
 */
export function openDirectory(path: string, expected?: string): number {
  hook?.('open-directory', path);
  if (!isAbsolute(path)) throw new UnsafePathError(`${path} is not an absolute path`);
  const parts = path.split(sep).filter(Boolean);
  let fd = openSync('/', constants.O_RDONLY | constants.O_DIRECTORY | NO_FOLLOW);
  let walked = '';
  try {
    for (const part of parts) {
      walked += `/${part}`;
      let next: number;
      try {
        next = openSync(getChildPath(fd, part), constants.O_RDONLY | constants.O_DIRECTORY | NO_FOLLOW);
      } catch (error) {
        throw new UnsafePathError(describeOpenFailure(walked, asLinkError(fd, part, error), 'directory'), { cause: error });
      }
      closeSync(fd);
      fd = next;
    }
    const actual = getFdIdentity(fd);
    if (expected !== undefined && actual !== expected) {
      throw new UnsafePathError(`the directory ${path} was replaced during the fault (inode ${actual}, recorded ${expected}); refusing to work in it`);
    }
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Opens the directory `name` inside `dirFd` without following it; undefined when missing. */
export function openChildDirectory(dirFd: number, name: string, label: string): number | undefined {
  hook?.('open-directory', name);
  try {
    return openSync(getChildPath(dirFd, name), constants.O_RDONLY | constants.O_DIRECTORY | NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnsafePathError(describeOpenFailure(label, asLinkError(dirFd, name, error), 'directory'), { cause: error });
  }
}

/**
 * Opens `name` in `dirFd` as an O_PATH fd (no read access needed, so a mode-000 file works without
 * root); a symlink yields an fd on the link itself, never its target. Undefined when missing.
 */
export function openNode(dirFd: number, name: string): number | undefined {
  hook?.('open', name);
  try {
    return openSync(getChildPath(dirFd, name), O_PATH | constants.O_NOFOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** chmod through an fd (an O_PATH one included: via its /proc/self/fd link, which a symlink's fd refuses). */
export function chmodNode(fd: number, mode: number): void {
  hook?.('chmod', String(fd));
  chmodSync(`/proc/self/fd/${fd}`, mode & 0o7777);
}

/** Runs `work` (synchronous: the fd is closed when it returns) with the directory `path` open (see openDirectory). */
export function withDirectory<T>(path: string, expected: string | undefined, work: (dirFd: number) => T): T {
  const fd = openDirectory(path, expected);
  try {
    return work(fd);
  } finally {
    closeSync(fd);
  }
}

/** What `name` in `dirFd` is, without following it (lstat of the entry itself). */
export function inspectEntry(dirFd: number, name: string): { kind: EntryKind; stats?: BigIntStats } {
  hook?.('inspect', name);
  let stats: BigIntStats;
  try {
    stats = lstatSync(getChildPath(dirFd, name), { bigint: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    throw error;
  }
  const kind: EntryKind = stats.isSymbolicLink() ? 'symlink' : stats.isFile() ? 'file' : stats.isDirectory() ? 'directory' : 'other';
  return { kind, stats };
}

/**
 * Opens the regular file `name` in `dirFd` without following it and checks the open fd: a regular
 * file with one link, and the recorded identity when `expected` is given. Returns undefined when the
 * name is missing. `label` names the file in messages.
 */
export function openFile(dirFd: number, name: string, flags: number, label: string, expected?: string): number | undefined {
  hook?.('open', name);
  let fd: number;
  try {
    fd = openSync(getChildPath(dirFd, name), flags | NO_FOLLOW);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new UnsafePathError(describeOpenFailure(label, error, 'file'), { cause: error });
  }
  try {
    checkOpenFile(fd, label, expected);
    return fd;
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/** Refuses an open fd that is not a regular file with one link (or not the recorded inode). */
export function checkOpenFile(fd: number, label: string, expected?: string): BigIntStats {
  const stats = fstatSync(fd, { bigint: true });
  if (!stats.isFile()) throw new UnsafePathError(`${label} was replaced by ${stats.isDirectory() ? 'a directory' : 'something that is not a regular file'} during the fault; refusing to write to it — inspect it, then run faultline recover`);
  if (stats.nlink > 1n) throw new UnsafePathError(`${label} has ${stats.nlink} hard links (one may be outside the target's roots); refusing to write to it — inspect it, then run faultline recover`);
  if (expected !== undefined && formatIdentity(stats) !== expected) throw new UnsafePathError(`${label} is no longer the file faultline changed (inode ${formatIdentity(stats)}, recorded ${expected}); refusing to write to it — inspect it, then run faultline recover`);
  return stats;
}

/** A fresh, unpredictable prefix for the temp files of one fault (recorded in its state before any is made). */
export function createTempPrefix(base: string): string {
  return `.${base}.faultline-${randomBytes(6).toString('hex')}-`;
}

/** Creates a new file `<prefix><random>` in `dirFd` (O_EXCL, never through a link); returns its fd and name. */
export function createTempFile(dirFd: number, prefix: string, mode = 0o600, extraFlags = 0): { fd: number; name: string } {
  for (let attempt = 0; ; attempt++) {
    const name = `${prefix}${randomBytes(8).toString('hex')}.tmp`;
    const fd = createExclusive(dirFd, name, mode, extraFlags);
    if (fd !== undefined) return { fd, name };
    if (attempt >= 8) throw new UnsafePathError(`could not create a temp file ${prefix}… (every name was taken)`);
  }
}

/** Creates `name` in `dirFd` only if nothing (not even a dangling link) has that name; undefined when something has. */
export function createExclusive(dirFd: number, name: string, mode = 0o600, extraFlags = 0): number | undefined {
  hook?.('create', name);
  try {
    return openSync(getChildPath(dirFd, name), ((extraFlags & constants.O_RDWR) === 0 ? constants.O_WRONLY : 0) | constants.O_CREAT | constants.O_EXCL | NO_FOLLOW | extraFlags, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw error;
  }
}

/** Renames `from` to `to` inside `dirFd` (whatever is at `to`, a link included, is replaced, not followed). */
export function renameEntry(dirFd: number, from: string, to: string): void {
  hook?.('rename', to);
  renameQuietly(dirFd, from, to);
}

function renameQuietly(dirFd: number, from: string, to: string): void {
  try {
    renameSync(getChildPath(dirFd, from), getChildPath(dirFd, to));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EISDIR' || code === 'ENOTEMPTY' || code === 'EEXIST') throw new UnsafePathError(`${to} was replaced by a directory during the fault; refusing to replace it — inspect it, then run faultline recover`, { cause: error });
    throw error;
  }
}

/** Renames a temp file over `to`; on failure the temp file is unlinked again (nothing stray is left). */
export function renameTempOver(dirFd: number, temp: string, to: string): void {
  hook?.('rename', to);
  try {
    renameQuietly(dirFd, temp, to);
  } catch (error) {
    try {
      unlinkSync(getChildPath(dirFd, temp));
    } catch {
      // Already gone; or recover finds it by its prefix.
    }
    throw error;
  }
}

/** Unlinks `name` in `dirFd` (a link is removed itself); false when it was already gone. A directory is refused by the kernel. */
export function unlinkEntry(dirFd: number, name: string): boolean {
  hook?.('unlink', name);
  try {
    unlinkSync(getChildPath(dirFd, name));
    return true;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return false;
    if (code === 'EISDIR' || code === 'EPERM') throw new UnsafePathError(`${name} is a directory now; left in place — inspect it, then run faultline recover`, { cause: error });
    throw error;
  }
}

/** Creates the directory `name` in `dirFd` (never through a link). */
export function makeDirectory(dirFd: number, name: string, mode = 0o755): void {
  hook?.('mkdir', name);
  mkdirSync(getChildPath(dirFd, name), { mode });
}

/** The names in the open directory. */
export function listDirectory(dirFd: number): string[] {
  return readdirSync(`/proc/self/fd/${dirFd}`);
}

/**
 * Removes what a killed faultline left: every non-directory entry of `dirFd` whose name starts with
 * `prefix` (faultline's own recorded, random namespace). Returns the names removed.
 */
export function removeTempFiles(dirFd: number, prefix: string): string[] {
  if (prefix.length < 8) return [];
  const removed: string[] = [];
  for (const name of listDirectory(dirFd)) {
    if (!name.startsWith(prefix) || inspectEntry(dirFd, name).kind === 'directory') continue;
    try {
      if (unlinkEntry(dirFd, name)) removed.push(name);
    } catch (error) {
      if (!(error instanceof UnsafePathError)) throw error;
    }
  }
  return removed;
}

/** Sets owner (when root) and mode through the fd; chown first, since it clears set-id bits. */
export function setOwnerAndMode(fd: number, mode: number, owner?: { uid: number; gid: number }): void {
  hook?.('chmod', String(fd));
  if (owner && process.getuid?.() === 0) fchownSync(fd, owner.uid, owner.gid);
  fchmodSync(fd, mode & 0o7777);
}

/** Replaces the whole content of an open file (truncate, write, fsync). */
export function replaceContent(fd: number, data: Uint8Array): void {
  hook?.('write', String(fd));
  ftruncateSync(fd, 0);
  writeAll(fd, data, 0);
  fsyncSync(fd);
}

/** Writes all of `data` at `position` (or at the end, for an O_APPEND fd, when position is null). */
export function writeAll(fd: number, data: Uint8Array, position: number | null): void {
  let done = 0;
  while (done < data.length) {
    done += writeSync(fd, data, done, data.length - done, position === null ? null : position + done);
  }
}

/** Every byte of an open file from `position`. */
export function readAll(fd: number, position = 0): Buffer {
  const chunks: Buffer[] = [];
  let offset = position;
  for (;;) {
    const chunk = Buffer.allocUnsafe(1024 * 1024);
    const read = readSync(fd, chunk, 0, chunk.length, offset);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    offset += read;
  }
  return Buffer.concat(chunks);
}

/**
 * Every byte of an open file from `position`, refusing (UnsafePathError) one larger than `maxBytes`:
 * a sparse 100 GB file the target put in place must not exhaust memory. The read stops at the cap even
 * when the file grows while it is read.
 */
export function readAllBounded(fd: number, maxBytes: number, label: string, position = 0): Buffer {
  const tooLarge = (size: number | string) => new UnsafePathError(`${label} is ${size} bytes${position > 0 ? ` past offset ${position}` : ''}, more than the ${maxBytes} bytes faultline reads back; refusing to read it — inspect it, then run faultline recover`);
  const size = Number(fstatSync(fd).size) - position;
  if (size > maxBytes) throw tooLarge(size);
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, position + total);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > maxBytes) throw tooLarge(`more than ${maxBytes}`);
  }
  return Buffer.concat(chunks);
}

/**
 * Replaces the file `path` (absolute, in a directory the target may own) atomically: a new file under a
 * random O_EXCL name, written, given `mode` (and `owner`), fsync'd, then renamed over the name. No link
 * anywhere in the path is followed; a link at the name itself is replaced, never written through.
 */
export function writeFileReplacing(path: string, data: string | Uint8Array, options: { mode?: number; owner?: { uid: number; gid: number } } = {}): void {
  const { dir, name } = splitPath(path);
  withDirectory(dir, undefined, (dirFd) => {
    const temp = createTempFile(dirFd, `.${name}.faultline-`);
    try {
      writeAll(temp.fd, typeof data === 'string' ? Buffer.from(data) : data, 0);
      setOwnerAndMode(temp.fd, options.mode ?? 0o644, options.owner);
      fsyncSync(temp.fd);
    } catch (error) {
      closeSync(temp.fd);
      unlinkEntry(dirFd, temp.name);
      throw error;
    }
    closeSync(temp.fd);
    renameTempOver(dirFd, temp.name, name);
    syncDirectory(dirFd);
  });
}

/**
 * Opens the regular file `path` for appending (created when missing) without following a link anywhere
 * in its path, refusing a file with several links; the caller closes the fd.
 */
export function openForAppend(path: string): number {
  const { dir, name } = splitPath(path);
  return withDirectory(dir, undefined, (dirFd) => {
    const fd = openFile(dirFd, name, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, path);
    if (fd === undefined) throw new UnsafePathError(`${path} could not be created`);
    return fd;
  });
}

/** Appends `text` to the regular file `path` (see openForAppend). */
export function appendToFile(path: string, text: string): void {
  const fd = openForAppend(path);
  try {
    writeAll(fd, Buffer.from(text), null);
  } finally {
    closeSync(fd);
  }
}

/** Flushes an open file's bytes to disk. */
export function syncFile(fd: number): void {
  fsyncSync(fd);
}

/** Flushes a directory's entries (after a create or rename); some filesystems refuse, the rename holds anyway. */
export function syncDirectory(dirFd: number): void {
  try {
    fsyncSync(dirFd);
  } catch {
    // tmpfs and others may refuse fsync on a directory.
  }
}

/** Directory and name of an absolute path, for the calls above. */
export function splitPath(path: string): { dir: string; name: string } {
  return { dir: dirname(path), name: basename(path) };
}

/** "dev:ino" of a stat, exact. */
export function formatIdentity(stats: BigIntStats): string {
  return `${stats.dev}:${stats.ino}`;
}

// O_DIRECTORY|O_NOFOLLOW on a symlink fails with ENOTDIR, not ELOOP: tell the two apart for the message.
function asLinkError(dirFd: number, name: string, error: unknown): unknown {
  if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') return error;
  try {
    return lstatSync(getChildPath(dirFd, name)).isSymbolicLink() ? Object.assign(new Error('symlink'), { code: 'ELOOP' }) : error;
  } catch {
    return error;
  }
}

function describeOpenFailure(label: string, error: unknown, what: 'file' | 'directory'): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ELOOP') return `${label} was replaced by a symlink during the fault; refusing to ${what === 'file' ? 'write through it' : 'follow it'} — inspect it, then run faultline recover`;
  if (code === 'ENOTDIR') return `${label} is not a directory any more; refusing to follow it — inspect it, then run faultline recover`;
  if (code === 'ENOENT') return `${label} is gone`;
  if (code === 'EISDIR') return `${label} was replaced by a directory during the fault; refusing to write to it — inspect it, then run faultline recover`;
  return `${label}: ${(error as Error).message}`;
}
