// Fault: corrupt a config file in place; the original bytes are saved first and restored on rollback.
import { readFile, stat, writeFile, chmod, copyFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { hashBytes, hashFile } from '../util/hash.js';
import { corruptBytes, corruptModes, type CorruptMode } from './corrupt-bytes.js';
import { resolveGuardedPath } from './guards.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'config.corrupt',
  summary: 'corrupts a file under the target roots (truncate, seeded random bytes, syntax break, delete a key, empty)',
  params: defineFaultParams('config.corrupt', {
    path: Type.String({ minLength: 1, description: 'File to corrupt (relative to the target home).' }),
    mode: Type.Union(corruptModes.map((mode) => Type.Literal(mode)), { description: 'How to corrupt it.' }),
    seed: Type.Optional(Type.Integer({ minimum: 0, default: 1, description: 'Seed for random-bytes.' })),
    bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, default: 16, description: 'random-bytes: how many bytes to overwrite.' })),
    key: Type.Optional(Type.String({ minLength: 1, description: 'delete-key: the key to remove (default: the first one).' })),
  }, 'Corrupt a config file.'),
  async plan(params, { target }) {
    const path = resolveGuardedPath(target, params.path, 'fault.path');
    return {
      touches: [`rewrite ${path} (${params.mode}); original bytes saved for rollback`],
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`],
    };
  },
  async prepare(params, { target, stateDir }) {
    const path = resolveGuardedPath(target, params.path, 'fault.path');
    const info = await stat(path).catch(() => undefined);
    if (!info?.isFile()) throw new GuardError(`fault.path: ${path} is not an existing file`);
    const backup = join(stateDir, 'original');
    await copyFile(path, backup);
    const original = await readFile(backup);
    return { path, backup, sha256: hashBytes(original), mode: info.mode & 0o7777 };
  },
  async inject(params, _context, state) {
    const original = await readFile(String(state.backup));
    const corrupted = corruptBytes(original, { mode: params.mode as CorruptMode, seed: params.seed ?? 1, bytes: params.bytes ?? 16, key: params.key });
    await writeFile(String(state.path), corrupted);
  },
  async verify(_params, _context, state) {
    return (await hashFile(String(state.path))) !== state.sha256;
  },
  async rollback(_params, _context, state) {
    const path = String(state.path);
    if ((await hashFile(path)) !== state.sha256) {
      await writeFile(path, await readFile(String(state.backup)));
    }
    await chmod(path, Number(state.mode));
    const restored = (await hashFile(path)) === state.sha256;
    return restored
      ? { ok: true, detail: `${path} restored (sha256 ${String(state.sha256).slice(0, 12)}… matches)` }
      : { ok: false, detail: `${path} still differs from the saved original (${String(state.backup)})` };
  },
});
