// Fault: temp files pile up in a directory (cleanup failures, seed 000 EXHAUSTION-004), all at once or
// at a rate. Their names carry the fault's marker; rollback removes every one still there. Files are
// created with O_EXCL (a name the target planted is skipped, never written through) and removed by
// unlink in the directory prepare recorded (util/safe-fs): a link swapped in is removed itself, a
// directory is left and reported, and a replaced directory is refused.
import { closeSync, existsSync, realpathSync, statSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { sleep } from '../util/clock.js';
import { startBackgroundWriter, stopBackgroundWriter } from './background-writers.js';
import { checkWriteBudget, formatBytes } from './disk-space.js';
import { resolveGuardedPath, withGuardedDirectory } from './guards.js';
import { createHogMarker } from './hogs.js';
import { defineFault } from './types.js';
import { UnsafePathError, createExclusive, getFdIdentity, inspectEntry, listDirectory, unlinkEntry, withDirectory, writeAll } from '../util/safe-fs.js';
import { defineFaultParams } from './params.js';

/** Hard caps: files, and bytes per file. */
export const MAX_TEMP_FILES = 20_000;
export const MAX_TEMP_FILE_BYTES = 1024 * 1024;
// A file costs at least a block even when empty.
const BLOCK = 4096;

export default defineFault({
  type: 'disk.temp-files',
  summary: 'creates temp files in a directory, all at once or at a rate',
  params: defineFaultParams('disk.temp-files', {
    path: Type.String({ minLength: 1, description: 'The directory (relative to the target home).' }),
    count: Type.Integer({ minimum: 1, maximum: MAX_TEMP_FILES, description: `How many files (at most ${MAX_TEMP_FILES}).` }),
    sizeBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_TEMP_FILE_BYTES, default: 4096, description: `Bytes per file (at most ${MAX_TEMP_FILE_BYTES}).` })),
    perSecond: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'Create this many per second (default: all at once).' })),
  }, 'Accumulate temp files.'),
  async plan(params, { target }) {
    const dir = checkDirectory(target, params.path, params.count, params.sizeBytes ?? 4096, { mustExist: false });
    return {
      touches: [`create ${params.count} files of ${formatBytes(params.sizeBytes ?? 4096)} in ${dir}${params.perSecond ? ` at ${params.perSecond}/s` : ''}; rollback removes them`],
      guards: [`directory under the target roots (${target.roots.join(', ')}), symlinks resolved`, `at most ${MAX_TEMP_FILES} files of ${formatBytes(MAX_TEMP_FILE_BYTES)}; the host keeps its free-space floor`],
    };
  },
  async prepare(params, { target }) {
    const dir = realpathSync(checkDirectory(target, params.path, params.count, params.sizeBytes ?? 4096));
    // Opened and checked against the roots as opened: the realpath above may name where a swapped link pointed.
    const dirId = withGuardedDirectory(target, dir, 'fault.path', getFdIdentity);
    return { dir, dirId, prefix: `faultline-tmp-${createHogMarker()}-`, count: params.count, sizeBytes: params.sizeBytes ?? 4096, perSecond: params.perSecond ?? null };
  },
  async inject(_params, { stateDir }, state) {
    const dir = String(state.dir);
    const prefix = String(state.prefix);
    const count = Number(state.count);
    const content = Buffer.alloc(Number(state.sizeBytes), 0x2e);
    const dirId = typeof state.dirId === 'string' ? state.dirId : undefined;
    const createRange = (from: number, to: number) => withDirectory(dir, dirId, (dirFd) => {
      for (let index = from; index < to; index++) {
        const fd = createExclusive(dirFd, `${prefix}${String(index).padStart(5, '0')}`, 0o644);
        // Taken already (planted by the target): skipped, never written through.
        if (fd === undefined) continue;
        try {
          writeAll(fd, content, 0);
        } finally {
          closeSync(fd);
        }
      }
    });
    if (state.perSecond === null) {
      createRange(0, count);
      return;
    }
    createRange(0, 1);
    const perSecond = Number(state.perSecond);
    const started = performance.now();
    startBackgroundWriter(stateDir, async (signal) => {
      let created = 1;
      while (!signal.aborted && created < count) {
        await sleep(Math.max(10, 1000 / perSecond), signal);
        const due = Math.min(count, Math.floor(((performance.now() - started) / 1000) * perSecond) + 1);
        if (signal.aborted) break;
        createRange(created, due);
        created = Math.max(created, due);
      }
    });
  },
  async verify(_params, _context, state) {
    return listOurs(String(state.dir), String(state.prefix)).length > 0;
  },
  async rollback(_params, { stateDir }, state) {
    await stopBackgroundWriter(stateDir);
    const dir = String(state.dir);
    const prefix = String(state.prefix);
    try {
      return withDirectory(dir, typeof state.dirId === 'string' ? state.dirId : undefined, (dirFd) => {
        const ours = listDirectory(dirFd).filter((name) => name.startsWith(prefix));
        const kept: string[] = [];
        let removed = 0;
        for (const name of ours) {
          // unlink removes a link itself, never what it points to; a directory in our name is not ours to empty.
          try {
            if (inspectEntry(dirFd, name).kind === 'directory') kept.push(name);
            else if (unlinkEntry(dirFd, name)) removed += 1;
          } catch (error) {
            if (!(error instanceof UnsafePathError)) throw error;
            kept.push(name);
          }
        }
        const left = listDirectory(dirFd).filter((name) => name.startsWith(prefix));
        if (kept.length > 0) return { ok: false, detail: `${kept.length} of faultline's temp names in ${dir} are directories now (${kept.slice(0, 3).join(', ')}${kept.length > 3 ? ', …' : ''}); left in place — inspect them, then run faultline recover` };
        return left.length === 0
          ? { ok: true, detail: `removed ${removed} temp file(s) left of ${state.count} from ${dir}` }
          : { ok: false, detail: `${left.length} entr${left.length === 1 ? 'y' : 'ies'} named like faultline's temp files remain in ${dir} (${left.slice(0, 3).join(', ')}${left.length > 3 ? ', …' : ''}): made again while the rollback ran — inspect them, then run faultline recover` };
      });
    } catch (error) {
      if (error instanceof UnsafePathError) return { ok: false, detail: error.message };
      throw error;
    }
  },
});

// A plan made before the target exists cannot see its directory yet; prepare insists on it.
function checkDirectory(target: Parameters<typeof resolveGuardedPath>[0], relative: string, count: number, sizeBytes: number, options: { mustExist?: boolean } = {}): string {
  const dir = resolveGuardedPath(target, relative, 'fault.path');
  const exists = existsSync(dir);
  if ((exists || options.mustExist !== false) && !(exists && statSync(dir).isDirectory())) throw new GuardError(`fault.path: ${dir} is not an existing directory`);
  checkWriteBudget(target, dir, count * (Math.ceil(sizeBytes / BLOCK) * BLOCK || BLOCK), 'fault.count');
  return dir;
}

function listOurs(dir: string, prefix: string): string[] {
  try {
    return withDirectory(dir, undefined, listDirectory).filter((name) => name.startsWith(prefix));
  } catch {
    return [];
  }
}
