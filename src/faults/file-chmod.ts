// Fault: change the mode of a file or directory under the target roots (permission corruption).
import { chmod, realpath, stat } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { formatMode } from './file-backup.js';
import { resolveGuardedPath } from './guards.js';
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
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`],
    };
  },
  async prepare(params, { target }) {
    const guarded = resolveGuardedPath(target, params.path, 'fault.path');
    const path = await realpath(guarded).catch(() => guarded);
    const info = await stat(path).catch(() => undefined);
    if (!info || !(info.isFile() || info.isDirectory())) throw new GuardError(`fault.path: ${guarded} is not an existing file or directory`);
    const mode = Number.parseInt(params.mode ?? '000', 8);
    const original = info.mode & 0o7777;
    if (original === mode) throw new GuardError(`fault.mode: ${guarded} already has mode ${formatMode(mode)}; the fault would change nothing`);
    return { path, mode, original };
  },
  async inject(_params, _context, state) {
    await chmod(String(state.path), Number(state.mode));
  },
  async verify(_params, _context, state) {
    return ((await stat(String(state.path))).mode & 0o7777) === Number(state.mode);
  },
  async rollback(_params, _context, state) {
    const path = String(state.path);
    const original = Number(state.original);
    const info = await stat(path).catch(() => undefined);
    // A target that replaced or removed the file took the changed mode with it; the saved mode still goes on what is there.
    if (!info) return { ok: true, detail: `${path} is gone (removed by the target): no changed mode remains` };
    if ((info.mode & 0o7777) !== original) await chmod(path, original);
    const now = (await stat(path)).mode & 0o7777;
    return now === original
      ? { ok: true, detail: `${path} mode ${formatMode(now)} restored` }
      : { ok: false, detail: `${path} has mode ${formatMode(now)}, expected ${formatMode(original)}` };
  },
});
