// File I/O helpers: durable writes (the ledger and reports must survive a crash mid-write) and bounded reads.
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, openSync, renameSync, rmSync, writeSync, mkdirSync, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Why readRegularFileBounded read nothing: the open failed (with its code), not a regular file, or over the limit. */
export type BoundedReadRefusal = { reason: 'cannot-open'; code: string } | { reason: 'not-regular' } | { reason: 'too-large' };

/**
 * Reads a regular file of at most `maxBytes`: opened non-blocking (a FIFO must not hang the open),
 * its type and size checked on the open file, and the read stopped one byte past the limit (a file
 * that grows while read stays bounded). A device, FIFO or socket is never read.
 */
export async function readRegularFileBounded(path: string, maxBytes: number): Promise<{ bytes: Buffer } | BoundedReadRefusal> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    return { reason: 'cannot-open', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    const info = await handle.stat();
    if (!info.isFile()) return { reason: 'not-regular' };
    if (info.size > maxBytes) return { reason: 'too-large' };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) return { bytes: Buffer.concat(chunks, total) };
      total += bytesRead;
      if (total > maxBytes) return { reason: 'too-large' };
      chunks.push(chunk.subarray(0, bytesRead));
    }
  } catch (error) {
    return { reason: 'cannot-open', code: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    await handle.close();
  }
}
