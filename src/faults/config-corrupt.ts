// Fault: corrupt a config file in place; the original bytes are saved first and restored on rollback.
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { GuardError, getErrorMessage } from '../errors.js';
import { hashBytes, hashFile } from '../util/hash.js';
import { corruptBytes, corruptModes, type CorruptMode } from './corrupt-bytes.js';
import { backUpFile, overwriteBackedUpFile, restoreFile } from './file-backup.js';
import { resolveGuardedPath } from './guards.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { MAX_SEED } from '../util/number-limits.js';

export default defineFault({
  type: 'config.corrupt',
  summary: 'corrupts a file under the target roots (truncate, seeded random bytes, syntax break, delete a key, empty)',
  params: defineFaultParams('config.corrupt', {
    path: Type.String({ minLength: 1, description: 'File to corrupt (relative to the target home).' }),
    mode: Type.Union(corruptModes.map((mode) => Type.Literal(mode)), { description: 'How to corrupt it.' }),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_SEED, default: 1, description: 'Seed for random-bytes.' })),
    bytes: Type.Optional(Type.Integer({ minimum: 1, maximum: 4096, default: 16, description: 'random-bytes: how many bytes to overwrite.' })),
    key: Type.Optional(Type.String({ minLength: 1, description: 'delete-key: the key to remove (default: the first one).' })),
  }, 'Corrupt a config file.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const path = resolveGuardedPath(target, params.path, 'fault.path');
    return {
      touches: [`rewrite ${path} (${params.mode}${params.mode === 'delete-key' ? ` ${params.key ?? 'first key'}` : ''}); original bytes, mode and owner saved for rollback`],
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`, 'a regular file with one link, of at most 16 MiB; rollback writes only through the recorded inode, never a link'],
    };
  },
  async prepare(params, { target, stateDir }) {
    const saved = await backUpFile(target, params.path, stateDir);
    // Computed here too, so a key that is not there is refused before anything changes.
    const corrupted = corrupt(params, await readFile(saved.backup));
    if (hashBytes(corrupted) === saved.sha256) throw new GuardError(`fault.mode: ${params.mode} leaves ${saved.path} unchanged (is it empty?)`);
    return { ...saved };
  },
  async inject(params, _context, state) {
    // Through the recorded inode only: a link swapped in since prepare is refused, not written through.
    overwriteBackedUpFile(state, corrupt(params, await readFile(String(state.backup))));
  },
  async verify(_params, _context, state) {
    return (await hashFile(String(state.path))) !== state.sha256;
  },
  async rollback(_params, _context, state) {
    return restoreFile(state);
  },
});

function corrupt(params: { mode: string; seed?: number; bytes?: number; key?: string }, original: Buffer): Buffer {
  try {
    return corruptBytes(original, { mode: params.mode as CorruptMode, seed: params.seed ?? 1, bytes: params.bytes ?? 16, key: params.key });
  } catch (error) {
    throw new GuardError(`fault.${params.mode === 'delete-key' ? 'key' : 'mode'}: ${getErrorMessage(error)}`);
  }
}
