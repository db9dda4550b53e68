// Byte-for-byte backups of a file a fault changes, and the verified restore that rollback runs. Every
// access to the target's file goes through util/safe-fs (fd-relative, no-follow, inode checked), so a
// link or directory the target swaps in while the fault is live is refused, never written through.
import { closeSync, constants, readFileSync, writeFileSync } from 'node:fs';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { hashBytes } from '../util/hash.js';
import {
  UnsafePathError, checkOpenFile, createTempFile, createTempPrefix, getFdIdentity, inspectEntry, openFile, readAllBounded, removeTempFiles,
  renameTempOver, replaceContent, setOwnerAndMode, splitPath, syncDirectory, syncFile, unlinkEntry, withDirectory, writeAll,
} from '../util/safe-fs.js';
import { checkGuardedPath, withGuardedDirectory } from './guards.js';
import type { FaultState, RollbackResult } from './types.js';

/** Files larger than this are refused: their backup lives in the ledger's state directory. */
export const MAX_BACKUP_BYTES = 16 * 1024 * 1024;

/** What a backup saved: the file's real path, its bytes (in `backup`), hash, mode, owner, and the identities rollback checks. */
export interface FileBackup {
  path: string;
  backup: string;
  sha256: string;
  mode: number;
  uid: number;
  gid: number;
  /** "dev:ino" of the file and of its directory when backed up. */
  fileId?: string;
  dirId?: string;
  /** Names of restore temp files start with this (so recover finds those of a killed rollback). */
  tempPrefix?: string;
}

/**
 * Checks `pathParam` (under the roots, symlinks resolved, a regular file with one link, not too large)
 * and copies it into `stateDir`. Faults then act on the real path, so a link inside the roots stays a link.
 */
export async function backUpFile(target: Target, pathParam: string, stateDir: string, field = 'fault.path'): Promise<FileBackup> {
  // The real path the guard checked, never resolved again (a link swapped meanwhile would redirect it).
  const { absolute: guarded, real: path } = checkGuardedPath(target, pathParam, field);
  const { dir, name } = splitPath(path);
  const read = (() => {
    try {
      return withGuardedDirectory(target, dir, field, (dirFd) => {
        if (inspectEntry(dirFd, name).kind !== 'file') return undefined;
        const fd = openFile(dirFd, name, constants.O_RDONLY, guarded);
        if (fd === undefined) return undefined;
        try {
          const stats = checkOpenFile(fd, guarded);
          if (stats.size > BigInt(MAX_BACKUP_BYTES)) throw new GuardError(`${field}: ${guarded} is ${stats.size} bytes; file faults back up at most ${MAX_BACKUP_BYTES} bytes`);
          return { bytes: readAllBounded(fd, MAX_BACKUP_BYTES, guarded), stats, fileId: getFdIdentity(fd), dirId: getFdIdentity(dirFd) };
        } finally {
          closeSync(fd);
        }
      });
    } catch (error) {
      if (error instanceof UnsafePathError && /hard links/.test(error.message)) {
        throw new GuardError(`${field}: ${guarded} has more than one hard link; faultline refuses it (another link may lie outside the target's roots, and would be changed too)`);
      }
      if (error instanceof UnsafePathError && /more than the \d+ bytes/.test(error.message)) throw new GuardError(`${field}: ${guarded} grew past ${MAX_BACKUP_BYTES} bytes while it was backed up; file faults back up at most ${MAX_BACKUP_BYTES} bytes`);
      if (error instanceof UnsafePathError) return undefined;
      throw error;
    }
  })();
  if (!read) throw new GuardError(`${field}: ${guarded} is not an existing regular file`);
  const backup = `${stateDir}/original`;
  writeFileSync(backup, read.bytes, { mode: 0o600 });
  return {
    path, backup, sha256: hashBytes(read.bytes), mode: Number(read.stats.mode) & 0o7777, uid: Number(read.stats.uid), gid: Number(read.stats.gid),
    fileId: read.fileId, dirId: read.dirId, tempPrefix: createTempPrefix(name),
  };
}

/** Reads a FileBackup back from a (ledger) state. */
export function getFileBackup(state: FaultState): FileBackup {
  const optional = (key: string) => (typeof state[key] === 'string' ? String(state[key]) : undefined);
  return {
    path: String(state.path), backup: String(state.backup), sha256: String(state.sha256), mode: Number(state.mode), uid: Number(state.uid), gid: Number(state.gid),
    fileId: optional('fileId'), dirId: optional('dirId'), tempPrefix: optional('tempPrefix'),
  };
}

/**
 * Puts the saved bytes, mode and owner back (idempotent) and verifies them: sha256 and mode equal.
 * The recorded inode is restored in place through its fd; a missing file, or another regular file the
 * target wrote in its place, is replaced by a new file (O_EXCL temp + rename). A symlink, a directory,
 * a file with several links, or a directory that is not the recorded one is refused with the reason.
 */
export async function restoreFile(state: FaultState): Promise<RollbackResult> {
  const saved = getFileBackup(state);
  const { dir, name } = splitPath(saved.path);
  const original = readFileSync(saved.backup);
  try {
    return withDirectory(dir, saved.dirId, (dirFd) => {
      // A rollback killed half-way may have left its temp file: ours by the recorded prefix.
      const leftovers = saved.tempPrefix ? removeTempFiles(dirFd, saved.tempPrefix) : [];
      const entry = inspectEntry(dirFd, name);
      if (entry.kind === 'symlink') throw new UnsafePathError(`${saved.path} was replaced by a symlink during the fault; refusing to write through it — inspect it, then run faultline recover`);
      if (entry.kind === 'directory' || entry.kind === 'other') throw new UnsafePathError(`${saved.path} was replaced by ${entry.kind === 'directory' ? 'a directory' : 'something that is not a regular file'} during the fault; refusing to replace it — inspect it, then run faultline recover`);
      let what: string;
      const fd = entry.kind === 'file' ? openFile(dirFd, name, constants.O_RDWR, saved.path) : undefined;
      try {
        // Whatever the target put there is read at most up to the backup limit: larger is simply not the original.
        const current = fd === undefined ? undefined : readUpTo(fd, MAX_BACKUP_BYTES);
        const stats = fd === undefined ? undefined : checkOpenFile(fd, saved.path);
        const isRecorded = fd !== undefined && saved.fileId !== undefined && getFdIdentity(fd) === saved.fileId;
        const isIntact = current !== undefined && stats !== undefined && hashBytes(current) === saved.sha256 && (Number(stats.mode) & 0o7777) === saved.mode && isOwnedAsSaved(stats, saved);
        if (isIntact) {
          what = 'already had its original bytes';
        } else if (isRecorded && fd !== undefined) {
          if (current === undefined || hashBytes(current) !== saved.sha256) replaceContent(fd, original);
          setOwnerAndMode(fd, saved.mode, saved);
          what = 'restored';
        } else {
          // Missing, or a different file the target put there: a new file, renamed over the name (never written through).
          writeNewFile(dirFd, name, original, saved);
          what = fd === undefined ? 're-created' : 'restored';
        }
      } finally {
        if (fd !== undefined) closeSync(fd);
      }
      const check = verifyRestored(dirFd, name, saved);
      if (!check.ok) return check;
      const cleaned = leftovers.length > 0 ? `; removed ${leftovers.length} temp file(s) an interrupted rollback left (${leftovers.join(', ')})` : '';
      return { ok: true, detail: `${saved.path} ${what} (sha256 ${saved.sha256.slice(0, 12)}… matches, mode ${formatMode(saved.mode)})${cleaned}` };
    });
  } catch (error) {
    if (error instanceof UnsafePathError) return { ok: false, detail: error.message };
    throw error;
  }
}

/** Overwrites the backed-up file in place (inject), only while it is still the recorded inode in the recorded directory. */
export function overwriteBackedUpFile(state: FaultState, bytes: Uint8Array): void {
  const saved = getFileBackup(state);
  const { dir, name } = splitPath(saved.path);
  withDirectory(dir, saved.dirId, (dirFd) => {
    const fd = openFile(dirFd, name, constants.O_RDWR, saved.path, saved.fileId);
    if (fd === undefined) throw new UnsafePathError(`${saved.path} is gone`);
    try {
      replaceContent(fd, bytes);
    } finally {
      closeSync(fd);
    }
  });
}

/** Unlinks the backed-up file (inject), only while its name still holds the recorded inode. */
export function deleteBackedUpFile(state: FaultState): void {
  const saved = getFileBackup(state);
  const { dir, name } = splitPath(saved.path);
  withDirectory(dir, saved.dirId, (dirFd) => {
    const fd = openFile(dirFd, name, constants.O_RDONLY, saved.path, saved.fileId);
    if (fd === undefined) throw new UnsafePathError(`${saved.path} is gone`);
    closeSync(fd);
    unlinkEntry(dirFd, name);
    syncDirectory(dirFd);
  });
}

/** Mode as four octal digits (0644). */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}

function writeNewFile(dirFd: number, name: string, bytes: Buffer, saved: FileBackup): void {
  const prefix = saved.tempPrefix ?? createTempPrefix(name);
  const temp = createTempFile(dirFd, prefix);
  try {
    writeAll(temp.fd, bytes, 0);
    setOwnerAndMode(temp.fd, saved.mode, saved);
    // Flushed before the rename: after a power loss the name never points at a half-written file.
    syncFile(temp.fd);
  } finally {
    closeSync(temp.fd);
  }
  renameTempOver(dirFd, temp.name, name);
  syncDirectory(dirFd);
}

function verifyRestored(dirFd: number, name: string, saved: FileBackup): RollbackResult {
  const fd = openFile(dirFd, name, constants.O_RDONLY, saved.path);
  if (fd === undefined) return { ok: false, detail: `${saved.path} is missing after the restore` };
  try {
    const stats = checkOpenFile(fd, saved.path);
    const mode = Number(stats.mode) & 0o7777;
    if (hashBytes(readAllBounded(fd, MAX_BACKUP_BYTES, saved.path)) !== saved.sha256) return { ok: false, detail: `${saved.path} still differs from the saved original (${saved.backup})` };
    if (mode !== saved.mode) return { ok: false, detail: `${saved.path} has mode ${formatMode(mode)}, expected ${formatMode(saved.mode)}` };
    return { ok: true, detail: '' };
  } finally {
    closeSync(fd);
  }
}

// Not root: chown was never possible, so the owner is whatever we are.
function isOwnedAsSaved(stats: { uid: bigint; gid: bigint }, saved: FileBackup): boolean {
  return process.getuid?.() !== 0 || (Number(stats.uid) === saved.uid && Number(stats.gid) === saved.gid);
}

// The file's bytes, or undefined when it is larger than `maxBytes` (never read whole then).
function readUpTo(fd: number, maxBytes: number): Buffer | undefined {
  try {
    return readAllBounded(fd, maxBytes, 'the file');
  } catch (error) {
    if (error instanceof UnsafePathError) return undefined;
    throw error;
  }
}
