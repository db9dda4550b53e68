// File I/O helpers: durable writes (the ledger and reports must survive a crash mid-write) and bounded reads.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeSync, mkdirSync, readSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * Writes a file atomically (temp file, fsync, rename) so readers never see half of it. The temp file is
 * new (O_EXCL, never through a link) under an unpredictable name that still ends in `.<pid>.tmp`, so
 * the ledger can tell a dead writer's leftovers. For directories a target's uid owns, use
 * util/safe-fs's writeFileReplacing, which follows no link in the directory path either.
 */
export function writeFileAtomic(path: string, data: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.${randomBytes(6).toString('hex')}.${process.pid}.tmp`;
  const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  try {
    try {
      writeSync(fd, typeof data === 'string' ? Buffer.from(data) : data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
  } catch (error) {
    // A failed write or rename (the path is a folder, the disk is full) leaves no temp file behind.
    rmSync(temp, { force: true });
    throw error;
  }
  fsyncDirectory(dirname(path));
}

/** Flushes a directory entry (after create/rename) to disk. */
export function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some filesystems refuse fsync on directories; the rename is still atomic.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Up to `length` bytes of an open file from `position` (fewer when the file shrank meanwhile). */
export function readRange(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const read = readSync(fd, buffer, got, length - got, position + got);
    if (read <= 0) break;
    got += read;
  }
  return buffer.subarray(0, got);
}
