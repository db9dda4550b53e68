// Fault: make a command (tmux, python3, …) unavailable to the target by putting a failing executable of
// that name in the directory first on the target's PATH (under its roots). Rollback removes exactly that file.
import { existsSync, statSync } from 'node:fs';
import { open, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { hashBytes } from '../util/hash.js';
import { resolveGuardedPath } from './guards.js';
import { findOnPath, getPathEntries } from './path-lookup.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'binary.shadow',
  summary: 'shadows a command on the target’s PATH with one that fails (exit 127), e.g. tmux or python3',
  params: defineFaultParams('binary.shadow', {
    binary: Type.String({ pattern: '^[A-Za-z0-9_][A-Za-z0-9._+-]*$', maxLength: 64, description: 'Command name to shadow (no slashes), e.g. tmux or python3.' }),
    exitCode: Type.Optional(Type.Integer({ minimum: 1, maximum: 255, default: 127, description: 'Exit code of the shadow (127: command not found).' })),
  }, 'Make a command unavailable to the target.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const dir = getShadowDir(target);
    return {
      touches: [`create ${join(dir, params.binary)} (a script that exits ${params.exitCode ?? 127}), first on the target’s PATH; rollback removes exactly that file`],
      guards: [`the directory first on the target’s PATH (${dir}) is under its roots (${target.roots.join(', ')})`, 'an existing file of that name is never replaced', 'only the target’s PATH: faultline’s own probes keep the real command'],
    };
  },
  async prepare(params, { target }) {
    const dir = getShadowDir(target);
    if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new GuardError(`fault.binary: ${dir}, first on the target’s PATH, is not an existing directory`);
    const path = join(dir, params.binary);
    if (existsSync(path)) throw new GuardError(`fault.binary: ${path} already exists; binary.shadow never replaces a file it did not create`);
    const script = renderShadow(params.binary, params.exitCode ?? 127);
    return { path, sha256: hashBytes(Buffer.from(script)), script, resolvedBefore: findOnPath(params.binary, getPathEntries(target.env)) ?? null };
  },
  async inject(_params, _context, state) {
    // O_EXCL: a file that appeared since prepare is never overwritten.
    const handle = await open(String(state.path), 'wx', 0o755);
    try {
      await handle.writeFile(String(state.script));
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async verify(params, { target }, state) {
    return findOnPath(params.binary, getPathEntries(target.env)) === state.path;
  },
  async rollback(params, { target }, state) {
    const path = String(state.path);
    const bytes = await readFile(path).catch(() => undefined);
    if (bytes && hashBytes(bytes) !== state.sha256) return { ok: false, detail: `${path} was changed by something else since it was created; left in place` };
    if (bytes) await rm(path, { force: true });
    const resolved = findOnPath(params.binary, getPathEntries(target.env)) ?? null;
    if (existsSync(path)) return { ok: false, detail: `${path} is still there` };
    if (resolved !== state.resolvedBefore) return { ok: false, detail: `${params.binary} resolves to ${resolved ?? 'nothing'} on the target’s PATH, expected ${String(state.resolvedBefore ?? 'nothing')}` };
    return { ok: true, detail: `${bytes ? 'removed' : 'already gone:'} ${path}; ${params.binary} resolves to ${resolved ?? 'nothing'} again` };
  },
});

// The shadow must be first on the target's PATH (or it shadows nothing) and under the roots (or faultline may not write it).
function getShadowDir(target: Target): string {
  const first = getPathEntries(target.env)[0];
  if (!first) throw new GuardError('fault.binary: the target’s PATH is empty; binary.shadow needs a directory under the roots first on it');
  try {
    return resolveGuardedPath(target, first, 'fault.binary');
  } catch (error) {
    throw new GuardError(`fault.binary: ${first}, first on the target’s PATH, is outside the target’s roots (${target.roots.join(', ')})`, {
      cause: error,
      hint: 'put a directory under the roots first on the target’s PATH (env.PATH in the target file; the reference target has <dir>/bin)',
    });
  }
}

function renderShadow(binary: string, exitCode: number): string {
  return `#!/bin/sh\n# faultline binary.shadow: ${binary} made unavailable to this target; removed on rollback.\necho "${binary}: unavailable (shadowed by faultline binary.shadow)" >&2\nexit ${exitCode}\n`;
}
