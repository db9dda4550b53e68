// Fault: a log grows at a rate (excessive logging, seed 000 EXHAUSTION-002). Lines carrying a marker are
// appended by path, so a rotation (rename) sends later lines to the new file as it would for a real
// logger; growth stops after durationMs or maxBytes. Rollback removes every marked line from the log
// and its rotated copies (<log>.1 … <log>.9), keeping lines the target wrote meanwhile. Growth starts on
// a fresh line: a log whose last byte is not a newline first gets one, recorded (glue.json in the state
// dir) so rollback takes out exactly what faultline added. Every write goes through util/safe-fs: the
// directory must be the one prepare recorded, and a symlink or hard link swapped in for the log is refused.
import { closeSync, constants, existsSync, fstatSync, lstatSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { sleep } from '../util/clock.js';
import { startBackgroundWriter, stopBackgroundWriter } from './background-writers.js';
import { checkWriteBudget, formatBytes } from './disk-space.js';
import { resolveGuardedPath, withGuardedDirectory } from './guards.js';
import { createHogMarker } from './hogs.js';
import { entryHasMarker, fileHasMarker, readGlue, recordGlue, removeMarkedLines, selectRotatedNames } from './marked-lines.js';
import {
  UnsafePathError, createExclusive, createTempPrefix, getFdIdentity, inspectEntry, listDirectory, openFile, removeTempFiles, setOwnerAndMode, withDirectory, writeAll,
} from '../util/safe-fs.js';
import { readRange } from '../util/files.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

/** Hard caps: total bytes and rate. */
export const MAX_LOG_GROWTH_BYTES = 256 * 1024 * 1024;
export const MAX_LOG_RATE = 64 * 1024 * 1024;
const TICK_MS = 50;

export default defineFault({
  type: 'disk.log-growth',
  summary: 'appends marked lines to a log at a rate, for a duration or up to a byte cap',
  params: defineFaultParams('disk.log-growth', {
    path: Type.String({ minLength: 1, description: 'The log file (relative to the target home); created if missing.' }),
    bytesPerSecond: Type.Integer({ minimum: 1, maximum: MAX_LOG_RATE, description: `Growth rate (at most ${MAX_LOG_RATE} bytes/s).` }),
    durationMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, description: 'Stop growing after this long (default: until rollback or maxBytes).' })),
    maxBytes: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LOG_GROWTH_BYTES, default: 16 * 1024 * 1024, description: `Stop after this many bytes (at most ${MAX_LOG_GROWTH_BYTES}).` })),
  }, 'Grow a log.'),
  async plan(params, { target }) {
    const path = checkLogPath(target, params.path, params.maxBytes ?? 16 * 1024 * 1024, { mustExist: false });
    return {
      touches: [`append marked lines to ${path} at ${formatBytes(params.bytesPerSecond)}/s, at most ${formatBytes(params.maxBytes ?? 16 * 1024 * 1024)}${params.durationMs === undefined ? '' : ` for ${params.durationMs} ms`}; rollback removes them`],
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`, 'the host keeps its free-space floor after maxBytes'],
    };
  },
  async prepare(params, { target }) {
    const maxBytes = params.maxBytes ?? 16 * 1024 * 1024;
    const guarded = checkLogPath(target, params.path, maxBytes);
    // The directory's real path and identity: every later write checks it is still that directory.
    const path = join(realpathSync(dirname(guarded)), basename(guarded));
    // Opened and checked against the roots as opened: the realpath above may name where a swapped link pointed.
    const found = withGuardedDirectory(target, dirname(path), 'fault.path', (dirFd) => ({ dirId: getFdIdentity(dirFd), entry: inspectEntry(dirFd, basename(path)) }));
    const stats = found.entry.stats;
    if (stats && stats.nlink > 1n) throw new GuardError(`fault.path: ${guarded} has more than one hard link; faultline refuses it (another link may lie outside the target's roots, and would grow too)`);
    return {
      path, marker: createHogMarker(), existed: stats !== undefined, size: Number(stats?.size ?? 0), ino: Number(stats?.ino ?? 0), dirId: found.dirId, tempPrefix: createTempPrefix(basename(path)),
      maxBytes, bytesPerSecond: params.bytesPerSecond, durationMs: params.durationMs ?? null,
    };
  },
  async inject(_params, { stateDir }, state) {
    const line = `${new Date().toISOString()} faultline disk.log-growth ${String(state.marker)} ${'x'.repeat(48)}\n`;
    const maxBytes = Number(state.maxBytes);
    const rate = Number(state.bytesPerSecond);
    const append = (bytes: number) => appendLines(state, stateDir, line, bytes);
    let written = append(Math.min(maxBytes, Math.max(line.length, Math.round((rate * TICK_MS) / 1000))));
    const started = performance.now();
    const stopAt = state.durationMs === null ? Infinity : started + Number(state.durationMs);
    startBackgroundWriter(stateDir, async (signal) => {
      while (!signal.aborted && written < maxBytes && performance.now() < stopAt) {
        await sleep(TICK_MS, signal);
        if (signal.aborted) break;
        const due = Math.min(maxBytes, Math.round(((performance.now() - started) / 1000) * rate)) - written;
        if (due >= line.length) written += append(due);
      }
    });
  },
  async verify(_params, _context, state) {
    const path = String(state.path);
    if (!existsSync(path)) return false;
    const stats = statSync(path);
    // Grown, or already rotated away by the target (its inode changed) with our lines in a copy.
    return (stats.ino === Number(state.ino) && stats.size > Number(state.size)) || [path, ...getRotatedPaths(path)].some((file) => fileHasMarker(file, String(state.marker)));
  },
  async rollback(_params, { stateDir }, state) {
    await stopBackgroundWriter(stateDir);
    const path = String(state.path);
    const name = basename(path);
    const marker = String(state.marker);
    const glue = readGlue(stateDir);
    // An intent written by an older faultline has no prefix: a fresh one still keeps temp names unpredictable.
    const tempPrefix = typeof state.tempPrefix === 'string' ? state.tempPrefix : createTempPrefix(name);
    try {
      return withDirectory(dirname(path), typeof state.dirId === 'string' ? state.dirId : undefined, (dirFd) => {
        // A rollback killed half-way (kill -9) may have left its root-owned temp file: ours by the recorded prefix.
        const leftovers = removeTempFiles(dirFd, tempPrefix);
        const problems: string[] = [];
        let removed = 0;
        const names = [name, ...selectRotatedNames(listDirectory(dirFd), name)];
        for (const file of names) {
          const label = join(dirname(path), file);
          const kind = inspectEntry(dirFd, file).kind;
          if (kind === 'missing') continue;
          if (kind !== 'file') {
            // Only the log itself is a problem: a rotated name that is a link or directory holds none of our lines.
            if (file === name) problems.push(`${label} was replaced by ${kind === 'symlink' ? 'a symlink' : kind === 'directory' ? 'a directory' : 'something that is not a regular file'} during the fault; refusing to rewrite it — inspect it, then run faultline recover`);
            continue;
          }
          try {
            removed += removeMarkedLines(dirFd, file, label, marker, { glue, tempPrefix, removeIfEmpty: file === name && !state.existed });
          } catch (error) {
            if (!(error instanceof UnsafePathError)) throw error;
            problems.push(error.message);
          }
        }
        const left = [name, ...selectRotatedNames(listDirectory(dirFd), name)].filter((file) => entryHasMarker(dirFd, file, marker)).map((file) => join(dirname(path), file));
        const cleaned = leftovers.length > 0 ? `; removed ${leftovers.length} temp file(s) an interrupted rollback left (${leftovers.join(', ')})` : '';
        if (problems.length > 0) return { ok: false, detail: `${problems.join('; ')}${left.length > 0 ? `; marked lines remain in ${left.join(', ')}` : ''}${cleaned}` };
        return left.length === 0
          ? { ok: true, detail: `removed ${formatBytes(removed)} of marked lines from ${path} and its rotations${cleaned}` }
          : { ok: false, detail: `marked lines remain in ${left.join(', ')}${cleaned}` };
      });
    } catch (error) {
      if (error instanceof UnsafePathError) return { ok: false, detail: error.message };
      throw error;
    }
  },
});

// A plan made before the target exists cannot see its directory yet; prepare insists on it.
function checkLogPath(target: Parameters<typeof resolveGuardedPath>[0], relative: string, maxBytes: number, options: { mustExist?: boolean } = {}): string {
  const path = resolveGuardedPath(target, relative, 'fault.path');
  if (existsSync(path) && !lstatSync(path).isFile()) throw new GuardError(`fault.path: ${path} is not a regular file`);
  if (options.mustExist !== false && !existsSync(dirname(path))) throw new GuardError(`fault.path: the directory ${dirname(path)} does not exist`);
  checkWriteBudget(target, dirname(path), maxBytes, 'fault.maxBytes');
  return path;
}

// Whole lines only, the log opened by name each time (so a rotation is followed) in the recorded directory,
// never through a link; a log that is missing is created for the directory's owner (the target must be able
// to rotate and append). A log not ending in a newline first gets one (recorded as glue). Returns the bytes appended.
function appendLines(state: Record<string, unknown>, stateDir: string, line: string, bytes: number): number {
  const path = String(state.path);
  const name = basename(path);
  const count = Math.max(1, Math.floor(bytes / line.length));
  withDirectory(dirname(path), typeof state.dirId === 'string' ? state.dirId : undefined, (dirFd) => {
    let fd = openFile(dirFd, name, constants.O_RDWR | constants.O_APPEND, path);
    if (fd === undefined) {
      fd = createExclusive(dirFd, name, 0o644, constants.O_RDWR | constants.O_APPEND);
      if (fd === undefined) throw new UnsafePathError(`${path} appeared while faultline was creating it; stopping growth`);
      const owner = fstatSync(dirFd);
      setOwnerAndMode(fd, 0o644, { uid: owner.uid, gid: owner.gid });
    }
    try {
      const size = fstatSync(fd).size;
      let text = line.repeat(count);
      if (size > 0 && readRange(fd, size - 1, 1)[0] !== 10) {
        recordGlue(stateDir, { id: getFdIdentity(fd), offset: size });
        text = `\n${text}`;
      }
      writeAll(fd, Buffer.from(text), null);
    } finally {
      closeSync(fd);
    }
  });
  return count * line.length;
}

// Read-only (verify): the log and its rotated copies by path.
function getRotatedPaths(path: string): string[] {
  try {
    return selectRotatedNames(listDirectoryByPath(dirname(path)), basename(path)).map((name) => join(dirname(path), name));
  } catch {
    return [];
  }
}

function listDirectoryByPath(dir: string): string[] {
  return withDirectory(dir, undefined, (dirFd) => listDirectory(dirFd));
}
