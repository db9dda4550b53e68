// Fault: delete a config file under the target roots; its bytes, mode and owner are saved first.
import { existsSync } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { backUpFile, deleteBackedUpFile, restoreFile } from './file-backup.js';
import { resolveGuardedPath } from './guards.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'config.delete',
  summary: 'deletes a file under the target roots (restored byte for byte on rollback)',
  params: defineFaultParams('config.delete', {
    path: Type.String({ minLength: 1, description: 'File to delete (relative to the target home).' }),
  }, 'Delete a config file.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const path = resolveGuardedPath(target, params.path, 'fault.path');
    return {
      touches: [`delete ${path}; its bytes, mode and owner saved for rollback`],
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved (a link’s target is deleted, the link kept)`, 'a regular file with one link, of at most 16 MiB; rollback writes only through the recorded inode, never a link'],
    };
  },
  async prepare(params, { target, stateDir }) {
    return { ...(await backUpFile(target, params.path, stateDir)) };
  },
  async inject(_params, _context, state) {
    deleteBackedUpFile(state);
  },
  async verify(_params, _context, state) {
    return !existsSync(String(state.path));
  },
  async rollback(_params, _context, state) {
    return restoreFile(state);
  },
});
