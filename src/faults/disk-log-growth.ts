// Fault: a log grows at a rate (excessive logging, seed 000 EXHAUSTION-002). Lines carrying a marker are
// appended by path, so a rotation (rename) sends later lines to the new file as it would for a real
// logger; growth stops after durationMs or maxBytes. Rollback removes every marked line from the log
// and its rotated copies (<log>.1 … <log>.9), keeping lines the target wrote meanwhile.
import { appendFileSync, chownSync, existsSync, lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { sleep } from '../util/clock.js';
import { startBackgroundWriter, stopBackgroundWriter } from './background-writers.js';
import { checkWriteBudget, formatBytes } from './disk-space.js';
import { resolveGuardedPath } from './guards.js';
import { createHogMarker } from './hogs.js';
import { fileHasMarker, getRotatedPaths, removeMarkedLines } from './marked-lines.js';
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
    const path = checkLogPath(target, params.path, maxBytes);
    const stats = existsSync(path) ? statSync(path) : undefined;
    return { path, marker: createHogMarker(), existed: stats !== undefined, size: stats?.size ?? 0, ino: stats?.ino ?? 0, maxBytes, bytesPerSecond: params.bytesPerSecond, durationMs: params.durationMs ?? null };
  },
  async inject(_params, { stateDir }, state) {
    const path = String(state.path);
    const line = `${new Date().toISOString()} faultline disk.log-growth ${String(state.marker)} ${'x'.repeat(48)}\n`;
    const maxBytes = Number(state.maxBytes);
    const rate = Number(state.bytesPerSecond);
    let written = appendLines(path, line, Math.min(maxBytes, Math.max(line.length, Math.round((rate * TICK_MS) / 1000))));
    if (!state.existed) adoptOwnership(path);
    const started = performance.now();
    const stopAt = state.durationMs === null ? Infinity : started + Number(state.durationMs);
    startBackgroundWriter(stateDir, async (signal) => {
      while (!signal.aborted && written < maxBytes && performance.now() < stopAt) {
        await sleep(TICK_MS, signal);
        if (signal.aborted) break;
        const due = Math.min(maxBytes, Math.round(((performance.now() - started) / 1000) * rate)) - written;
        if (due >= line.length) written += appendLines(path, line, due);
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
    const marker = String(state.marker);
    let removed = 0;
    for (const file of [path, ...getRotatedPaths(path)]) removed += removeMarkedLines(file, marker, { removeIfEmpty: file === path && !state.existed });
    const left = [path, ...getRotatedPaths(path)].filter((file) => fileHasMarker(file, marker));
    return left.length === 0
      ? { ok: true, detail: `removed ${formatBytes(removed)} of marked lines from ${path} and its rotations` }
      : { ok: false, detail: `marked lines remain in ${left.join(', ')}` };
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

// Whole lines only, opened by path each time (so a rotation is followed); returns the bytes appended.
function appendLines(path: string, line: string, bytes: number): number {
  const count = Math.max(1, Math.floor(bytes / line.length));
  appendFileSync(path, line.repeat(count));
  return count * line.length;
}

// A log we created belongs to whoever owns its directory (the target must be able to rotate and append).
function adoptOwnership(path: string): void {
  try {
    const owner = statSync(dirname(path));
    chownSync(path, owner.uid, owner.gid);
  } catch {
    // Not root: the file is ours, like the directory.
  }
}
