// Lines a fault appended carry its marker: finding them, and taking them out of a file that the target
// keeps appending to (lines it writes while we rewrite are carried over, not lost).
import { appendFileSync, chownSync, closeSync, existsSync, fstatSync, openSync, readSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/** Rotated copies of a log that exist: <log>.1 … <log>.9 (the usual logrotate names). */
export function getRotatedPaths(path: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const base = basename(path);
  return names.filter((name) => new RegExp(`^${escapeRegExp(base)}\\.[1-9]$`).test(name)).map((name) => join(dirname(path), name));
}

/** True when the file exists and holds the marker. */
export function fileHasMarker(path: string, marker: string): boolean {
  return readWhole(path)?.includes(marker) ?? false;
}

/**
 * Rewrites `path` without the lines holding `marker` (atomically, keeping owner and mode); lines
 * appended while it ran are carried over. Returns the bytes removed.
 */
export function removeMarkedLines(path: string, marker: string, options: { removeIfEmpty?: boolean } = {}): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  try {
    const data = readFrom(fd, 0);
    if (!data.includes(marker)) return 0;
    const kept = dropMarkedLines(data, marker);
    const stats = fstatSync(fd);
    const temp = join(dirname(path), `.${basename(path)}.faultline-${process.pid}.tmp`);
    writeFileSync(temp, kept, { mode: stats.mode & 0o7777 });
    try {
      chownSync(temp, stats.uid, stats.gid);
    } catch {
      // Not root: the file was ours anyway.
    }
    renameSync(temp, path);
    // Appended to the old inode between our read and the rename: belongs to the log.
    const late = dropMarkedLines(readFrom(fd, data.length), marker);
    if (late.length > 0) appendFileSync(path, late);
    if (options.removeIfEmpty && statSync(path).size === 0) rmSync(path, { force: true });
    return data.length - kept.length;
  } finally {
    closeSync(fd);
  }
}

function dropMarkedLines(data: Buffer, marker: string): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(10, start);
    const stop = end === -1 ? data.length : end + 1;
    const line = data.subarray(start, stop);
    if (!line.includes(marker)) parts.push(line);
    start = stop;
  }
  return Buffer.concat(parts);
}

function readFrom(fd: number, position: number): Buffer {
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

function readWhole(path: string): Buffer | undefined {
  try {
    const fd = openSync(path, 'r');
    try {
      return readFrom(fd, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
