// Fault: fill the filesystem holding a path to a percentage, or until only N bytes are free (seed 000
// SPOF-004). One filler file, allocated with fallocate (no bytes written, so ~1 GiB takes well under a
// second); rollback deletes it. Only a tmpfs mounted under the target's roots, or a data area the
// target declares (kept above the host's free-space floor), may be filled. The filler is created with
// O_EXCL in the directory prepare recorded and allocated through its open fd; rollback unlinks it there
// (util/safe-fs), so a link the target swaps in is never allocated through or followed.
import { closeSync, existsSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import { GuardError, InputError, getErrorMessage } from '../errors.js';
import { createHogMarker } from './hogs.js';
import { formatBytes, getFillableArea, type FillableArea } from './disk-space.js';
import { resolveGuardedPath, withGuardedDirectory } from './guards.js';
import type { Target } from '../targets/types.js';
import { defineFault } from './types.js';
import { UnsafePathError, createExclusive, getFdIdentity, inspectEntry, openDirectory, unlinkEntry, withDirectory } from '../util/safe-fs.js';
import { defineFaultParams } from './params.js';
import { MAX_BYTES } from '../util/number-limits.js';

const params = defineFaultParams('disk.fill', {
  path: Type.String({ minLength: 1, description: 'A directory (or a file in one) on the filesystem to fill, relative to the target home; the filler file goes there.' }),
  percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Fill until the filesystem (or data area) is this full, 0–100.' })),
  bytesFree: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BYTES, description: 'Fill until only this many bytes are free.' })),
}, 'Fill a filesystem (fallocate).');
// Exactly one of the two levels (checked by `faultline validate` too).
Object.assign(params, { oneOf: [{ required: ['percent'], not: { required: ['bytesFree'] } }, { required: ['bytesFree'], not: { required: ['percent'] } }] });

// Bytes allocated per fault (by state dir), for verify in the same process.
const allocated = new Map<string, number>();

/** A planned fill: the filler, its size, and the free space it leaves. */
interface FillPlan {
  filler: string;
  bytes: number;
  area: FillableArea;
  freeAfter: number;
}

export default defineFault({
  type: 'disk.fill',
  summary: 'fills the filesystem holding a path to a percentage or to N bytes free, with one fallocate’d filler file',
  params,
  async plan(value, { target }) {
    checkLevel(value);
    const dir = getFillDirectory(resolveGuardedPath(target, value.path, 'fault.path'));
    if (!existsSync(dir)) {
      // Planned before the target exists (a run starts it): the filesystem is checked when the run prepares the fault.
      return {
        touches: [`allocate one filler file (fallocate) in ${dir} until ${value.percent === undefined ? `${formatBytes(value.bytesFree!)} are free` : `${value.percent}% is used`}`],
        guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`, `when the run starts: ${dir} must be on a tmpfs mounted under the roots, or in a data area the target declares (and leave the host floor free)`],
      };
    }
    const fill = planFill(target, value, 'plan');
    return {
      touches: [`allocate ${formatBytes(fill.bytes)} in ${fill.filler} (fallocate): ${fill.area.path} goes from ${formatBytes(fill.area.freeBytes)} to ${formatBytes(fill.freeAfter)} free`],
      guards: [
        `path under the target roots (${target.roots.join(', ')}), symlinks resolved`,
        fill.area.kind === 'tmpfs' ? `a tmpfs mounted under the roots (${fill.area.path})` : `the data area ${fill.area.path} (budget ${formatBytes(fill.area.sizeBytes)}); ${formatBytes(fill.area.floorBytes)} stay free on ${fill.area.filesystem.mountPoint}`,
      ],
    };
  },
  async prepare(value, { target }) {
    const fill = planFill(target, value, createHogMarker());
    const filler = join(realpathSync(dirname(fill.filler)), basename(fill.filler));
    // Opened and checked against the roots as opened: the realpath above may name where a swapped link pointed.
    const dirId = withGuardedDirectory(target, dirname(filler), 'fault.path', getFdIdentity);
    return { filler, dirId, area: fill.area.path };
  },
  async inject(value, { target, stateDir }, state) {
    // Sized when it acts: the target keeps writing, so a size computed earlier may no longer fit.
    for (let attempt = 1; ; attempt++) {
      const fill = planFill(target, value, '');
      try {
        await allocateFiller(String(state.filler), fill.bytes, typeof state.dirId === 'string' ? state.dirId : undefined);
        // In memory, not on disk: t0 is taken when inject returns, so nothing slow may follow the fill.
        allocated.set(stateDir, fill.bytes);
        return;
      } catch (error) {
        if (attempt >= 3 || !/No space left/i.test(getErrorMessage(error))) throw error;
      }
    }
  },
  async verify(_value, { stateDir }, state) {
    const bytes = allocated.get(stateDir);
    try {
      return bytes !== undefined && statSync(String(state.filler)).blocks * 512 >= bytes;
    } catch {
      return false;
    }
  },
  async rollback(_value, { stateDir }, state) {
    allocated.delete(stateDir);
    const filler = String(state.filler);
    try {
      return withDirectory(dirname(filler), typeof state.dirId === 'string' ? state.dirId : undefined, (dirFd) => {
        // unlink never follows: a link in the filler's place is removed itself; a directory is refused.
        unlinkEntry(dirFd, basename(filler));
        return inspectEntry(dirFd, basename(filler)).kind === 'missing'
          ? { ok: true, detail: `filler ${filler} removed` }
          : { ok: false, detail: `${filler} could not be removed` };
      });
    } catch (error) {
      if (error instanceof UnsafePathError) return { ok: false, detail: error.message };
      throw error;
    }
  },
});

/**
 * Allocates `bytes` to a new file with fallocate(1): blocks are reserved, no data is written. The file is
 * created here (O_EXCL, in the directory `dirId` names) and fallocate is given its open fd's /proc link,
 * which reopens that inode and no path the target could swap.
 */
export async function allocateFiller(filler: string, bytes: number, dirId?: string): Promise<void> {
  // Held open across the await (withDirectory would close it as soon as the promise is returned).
  const dirFd = openDirectory(dirname(filler), dirId);
  try {
    const fd = createExclusive(dirFd, basename(filler), 0o600);
    if (fd === undefined) throw new UnsafePathError(`${filler} exists already; disk.fill never allocates a file it did not create`);
    try {
      const result = await execa('fallocate', ['-l', String(bytes), `/proc/${process.pid}/fd/${fd}`], { reject: false, stdin: 'ignore', timeout: 60_000 });
      if (result.exitCode !== 0) {
        unlinkEntry(dirFd, basename(filler));
        throw new Error(`fallocate of ${formatBytes(bytes)} at ${filler} failed: ${String(result.stderr).trim() || (result.failed ? result.shortMessage : `exit ${result.exitCode}`)}`);
      }
    } finally {
      closeSync(fd);
    }
  } finally {
    closeSync(dirFd);
  }
}

function checkLevel(value: { percent?: number; bytesFree?: number }): void {
  if ((value.percent === undefined) === (value.bytesFree === undefined)) {
    throw new InputError('fault: give exactly one of percent or bytesFree', { hint: 'percent: 95 fills to 95 % used; bytesFree: 0 leaves nothing free' });
  }
}

// The filler goes into the path when it is a directory (or will be one), else next to the file.
function getFillDirectory(path: string): string {
  return !existsSync(path) || statSync(path).isDirectory() ? path : dirname(path);
}

function planFill(target: Target, value: { path: string; percent?: number; bytesFree?: number }, marker: string): FillPlan {
  checkLevel(value);
  const dir = getFillDirectory(resolveGuardedPath(target, value.path, 'fault.path'));
  if (!existsSync(dir)) throw new GuardError(`fault.path: ${dir} does not exist`);
  const area = getFillableArea(target, dir, 'fault.path');
  const block = area.filesystem.blockBytes;
  const wantFree = value.bytesFree ?? area.sizeBytes - Math.ceil((area.sizeBytes * value.percent!) / 100);
  const bytes = Math.floor((area.freeBytes - wantFree) / block) * block;
  const field = value.bytesFree === undefined ? 'fault.percent' : 'fault.bytesFree';
  if (bytes <= 0) {
    throw new GuardError(`${field}: ${area.path} has ${formatBytes(area.freeBytes)} free of ${formatBytes(area.sizeBytes)}, already at or past the requested level`);
  }
  if (area.kind === 'data-area' && area.filesystem.freeBytes - bytes < area.floorBytes) {
    throw new GuardError(`${field}: filling ${formatBytes(bytes)} would leave ${formatBytes(area.filesystem.freeBytes - bytes)} free on ${area.filesystem.mountPoint}, below the host floor of ${formatBytes(area.floorBytes)}`);
  }
  return { filler: join(dir, `.faultline-fill-${marker}`), bytes, area, freeAfter: area.freeBytes - bytes };
}
