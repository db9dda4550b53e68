// Lines a fault appended carry its marker: finding them, and taking them out of a file that the target
// keeps appending to (lines it writes while we rewrite are carried over, not lost). A newline the fault
// added to end the target's unterminated last line ("glue") is recorded and taken out too, so the
// target's own bytes come back exactly. Every access goes through util/safe-fs.
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../util/files.js';
import {
  UnsafePathError, createTempFile, getFdIdentity, inspectEntry, openFile, readAllBounded, renameTempOver, setOwnerAndMode, syncDirectory, syncFile, unlinkEntry, writeAll,
} from '../util/safe-fs.js';

/**
 * The largest file whose marked lines are taken out: what disk.log-growth may add (256 MiB) plus room for
 * the target's own lines. A larger one (a sparse 100 GB file the target put in place) is refused with the
 * reason instead of read whole.
 */
export const MAX_REWRITE_BYTES = 320 * 1024 * 1024;

/** A newline faultline wrote at (or just after, if the target raced it) `offset` of the file `id` ("dev:ino"). */
export interface GlueRecord {
  id: string;
  offset: number;
}

/** Names of the rotated copies of `base` among `names`: <base>.1 … <base>.9 (the usual logrotate names). */
export function selectRotatedNames(names: readonly string[], base: string): string[] {
  return names.filter((name) => name.length === base.length + 2 && name.startsWith(`${base}.`) && /^[1-9]$/.test(name.slice(-1)));
}

/** True when the file exists and holds the marker (read without following a link, never blocking on a FIFO). */
export function fileHasMarker(path: string, marker: string): boolean {
  try {
    const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
    try {
      return fstatSync(fd).isFile() && readAllBounded(fd, MAX_REWRITE_BYTES, path).includes(marker);
    } finally {
      closeSync(fd);
    }
  } catch {
    return false;
  }
}

/** The glue newlines recorded in a fault's state directory. */
export function readGlue(stateDir: string): GlueRecord[] {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'glue.json'), 'utf8')) as GlueRecord[];
  } catch {
    return [];
  }
}

/** Records a glue newline durably, before it is written (recover must know it after a crash). */
export function recordGlue(stateDir: string, record: GlueRecord): void {
  writeFileAtomic(join(stateDir, 'glue.json'), `${JSON.stringify([...readGlue(stateDir), record])}\n`);
}

/**
 * Rewrites `name` in `dirFd` without the lines holding `marker` and without recorded glue newlines: a
 * new file (O_EXCL, random name under `tempPrefix`, owner and mode kept) renamed over it; lines
 * appended to the old file while it ran are carried over. Returns the bytes removed.
 */
export function removeMarkedLines(dirFd: number, name: string, label: string, marker: string, options: { glue: readonly GlueRecord[]; tempPrefix: string; removeIfEmpty?: boolean }): number {
  const fd = openFile(dirFd, name, constants.O_RDONLY, label);
  if (fd === undefined) return 0;
  try {
    const data = readAllBounded(fd, MAX_REWRITE_BYTES, label);
    const glued = findGlue(data, getFdIdentity(fd), options.glue, marker);
    if (!data.includes(marker) && glued.size === 0) return 0;
    const kept = dropMarkedLines(data, marker, glued);
    const stats = fstatSync(fd);
    const temp = createTempFile(dirFd, options.tempPrefix, 0o600, constants.O_RDWR | constants.O_APPEND);
    try {
      writeAll(temp.fd, kept, null);
      setOwnerAndMode(temp.fd, stats.mode, { uid: stats.uid, gid: stats.gid });
      syncFile(temp.fd);
      renameTempOver(dirFd, temp.name, name);
      // Appended to the old inode between our read and the rename: belongs to the log.
      const late = dropMarkedLines(readAllBounded(fd, MAX_REWRITE_BYTES, label, data.length), marker, new Set());
      if (late.length > 0) writeAll(temp.fd, late, null);
      if (options.removeIfEmpty && fstatSync(temp.fd).size === 0) {
        const now = inspectEntry(dirFd, name).stats;
        if (now && `${now.dev}:${now.ino}` === getFdIdentity(temp.fd)) unlinkEntry(dirFd, name);
      }
    } finally {
      closeSync(temp.fd);
    }
    syncDirectory(dirFd);
    return data.length - kept.length;
  } finally {
    closeSync(fd);
  }
}

/** True when `name` in `dirFd` is a regular file holding the marker (read through safe-fs). */
export function entryHasMarker(dirFd: number, name: string, marker: string): boolean {
  try {
    const fd = openFile(dirFd, name, constants.O_RDONLY, name);
    if (fd === undefined) return false;
    try {
      return readAllBounded(fd, MAX_REWRITE_BYTES, name).includes(marker);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if (error instanceof UnsafePathError) return false;
    throw error;
  }
}

// Offsets of our glue newlines in this file: at or after the recorded offset, the first newline that
// is followed by a marked line (a target write that raced ours lands before it).
function findGlue(data: Buffer, id: string, glue: readonly GlueRecord[], marker: string): Set<number> {
  const found = new Set<number>();
  for (const record of glue) {
    if (record.id !== id) continue;
    for (let at = data.indexOf(10, record.offset); at !== -1; at = data.indexOf(10, at + 1)) {
      const end = data.indexOf(10, at + 1);
      if (data.subarray(at + 1, end === -1 ? data.length : end).includes(marker)) {
        found.add(at);
        break;
      }
    }
  }
  return found;
}

function dropMarkedLines(data: Buffer, marker: string, glued: ReadonlySet<number>): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  while (start < data.length) {
    const end = data.indexOf(10, start);
    const stop = end === -1 ? data.length : end + 1;
    const line = data.subarray(start, stop);
    if (!line.includes(marker)) parts.push(glued.has(stop - 1) ? line.subarray(0, line.length - 1) : line);
    start = stop;
  }
  return Buffer.concat(parts);
}
