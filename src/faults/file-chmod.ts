// Fault: change the mode of a file or directory under the target roots (permission corruption).
// The mode changes only through an fd opened without following links (util/safe-fs), on the inode
// prepare recorded, so a link the target swaps in never redirects the chmod.
import { closeSync, fstatSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { UnsafePathError, chmodNode, getFdIdentity, inspectEntry, openNode, splitPath, withDirectory } from '../util/safe-fs.js';
import { formatMode } from './file-backup.js';
import { checkGuardedPath, resolveGuardedPath, withGuardedDirectory } from './guards.js';
import type { FaultState } from './types.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'file.chmod',
  summary: 'changes the mode of a file or directory under the target roots; the saved mode is restored on rollback',
  params: defineFaultParams('file.chmod', {
    path: Type.String({ minLength: 1, description: 'File or directory (relative to the target home).' }),
    mode: Type.Optional(Type.String({ pattern: '^0?[0-7]{3}$', default: '000', description: 'New mode in octal, quoted ("000" unreadable, "666" world-writable).' })),
  }, 'Change a file’s permissions.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const path = resolveGuardedPath(target, params.path, 'fault.path');
    return {
      touches: [`chmod ${params.mode ?? '000'} ${path}; the current mode saved for rollback`],
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`, 'a file with one link; the mode changes only through the recorded inode, never a link'],
    };
  },
  async prepare(params, { target }) {
    // The real path the guard checked, never resolved again (a link swapped meanwhile would redirect it).
    const { absolute: guarded, real: path } = checkGuardedPath(target, params.path, 'fault.path');
    const mode = Number.parseInt(params.mode ?? '000', 8);
    const { dir, name } = splitPath(path);
    let found: { kind: 'file' | 'directory'; objectId: string; dirId: string; original: number; uid: number } | undefined;
    try {
      found = withGuardedDirectory(target, dir, 'fault.path', (dirFd) => {
        const kind = inspectEntry(dirFd, name).kind;
        if (kind !== 'file' && kind !== 'directory') return undefined;
        const fd = openObject(dirFd, name, kind, guarded);
        if (fd === undefined) return undefined;
        try {
          const stats = fstatSync(fd);
          return { kind, objectId: getFdIdentity(fd), dirId: getFdIdentity(dirFd), original: stats.mode & 0o7777, uid: stats.uid };
        } finally {
          closeSync(fd);
        }
      });
    } catch (error) {
      if (error instanceof UnsafePathError && /hard links/.test(error.message)) {
        throw new GuardError(`fault.path: ${guarded} has more than one hard link; faultline refuses it (another link may lie outside the target's roots, and would change too)`);
      }
      if (!(error instanceof UnsafePathError)) throw error;
    }
    if (!found) throw new GuardError(`fault.path: ${guarded} is not an existing file or directory`);
    if (found.original === mode) throw new GuardError(`fault.mode: ${guarded} already has mode ${formatMode(mode)}; the fault would change nothing`);
    return { path, mode, ...found };
  },
  async inject(_params, _context, state) {
    changeMode(state, Number(state.mode), { exact: true });
  },
  async verify(_params, _context, state) {
    return ((await stat(String(state.path))).mode & 0o7777) === Number(state.mode);
  },
  async rollback(_params, _context, state) {
    const path = String(state.path);
    const original = Number(state.original);
    try {
      const now = changeMode(state, original, { exact: false });
      // A target that removed the file took the changed mode with it.
      if (now === undefined) return { ok: true, detail: `${path} is gone (removed by the target): no changed mode remains` };
      return now === original
        ? { ok: true, detail: `${path} mode ${formatMode(now)} restored` }
        : { ok: false, detail: `${path} has mode ${formatMode(now)}, expected ${formatMode(original)}` };
    } catch (error) {
      if (error instanceof UnsafePathError) return { ok: false, detail: error.message };
      throw error;
    }
  },
});

// Sets `mode` on what the state names and returns the mode it has after; undefined when it is gone.
// `exact`: only the recorded inode (inject). Otherwise (rollback) a file or directory the target put in
// its place, of the same kind and owner, gets the saved mode too, as before; anything else is refused.
function changeMode(state: FaultState, mode: number, { exact }: { exact: boolean }): number | undefined {
  const path = String(state.path);
  const kind = state.kind === 'directory' ? 'directory' : 'file';
  const { dir, name } = splitPath(path);
  return withDirectory(dir, typeof state.dirId === 'string' ? state.dirId : undefined, (dirFd) => {
    const entry = inspectEntry(dirFd, name).kind;
    if (entry === 'missing') return undefined;
    if (entry === 'symlink') throw new UnsafePathError(`${path} was replaced by a symlink during the fault; refusing to chmod through it — inspect it, then run faultline recover`);
    if (entry !== kind) throw new UnsafePathError(`${path} was a ${kind} and is now ${entry === 'directory' ? 'a directory' : entry === 'file' ? 'a file' : 'something else'}; refusing to chmod it — inspect it, then run faultline recover`);
    const fd = openObject(dirFd, name, kind, path);
    if (fd === undefined) return undefined;
    try {
      const stats = fstatSync(fd);
      const isRecorded = typeof state.objectId !== 'string' || getFdIdentity(fd) === state.objectId;
      if (!isRecorded && (exact || stats.uid !== Number(state.uid ?? stats.uid))) {
        throw new UnsafePathError(`${path} is no longer the ${kind} faultline changed (another inode${stats.uid === Number(state.uid) ? '' : `, owned by uid ${stats.uid}`}); refusing to chmod it — inspect it, then run faultline recover`);
      }
      if ((stats.mode & 0o7777) !== mode) chmodNode(fd, mode);
      return fstatSync(fd).mode & 0o7777;
    } finally {
      closeSync(fd);
    }
  });
}

// An O_PATH fd: chmod needs no read access (a mode-000 file works without root) and never follows a link.
function openObject(dirFd: number, name: string, kind: 'file' | 'directory', label: string): number | undefined {
  const fd = openNode(dirFd, name);
  if (fd === undefined) return undefined;
  const stats = fstatSync(fd);
  const actual = stats.isSymbolicLink() ? 'a symlink' : stats.isDirectory() ? 'a directory' : stats.isFile() ? 'a file' : 'something else';
  const problem = stats.isSymbolicLink() ? `${label} was replaced by a symlink during the fault; refusing to chmod through it — inspect it, then run faultline recover`
    : (kind === 'file' ? !stats.isFile() : !stats.isDirectory()) ? `${label} was a ${kind} and is now ${actual}; refusing to chmod it — inspect it, then run faultline recover`
    : kind === 'file' && stats.nlink > 1 ? `${label} has ${stats.nlink} hard links (one may be outside the target's roots); refusing to chmod it — inspect it, then run faultline recover`
    : undefined;
  if (problem) {
    closeSync(fd);
    throw new UnsafePathError(problem);
  }
  return fd;
}
