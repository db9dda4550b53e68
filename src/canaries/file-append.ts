// Canary: sequenced lines appended to a file under the target's roots, reconciled with the file's content.
import { appendFile, readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { resolveGuardedPath } from '../faults/guards.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';

export default defineCanary({
  type: 'file.append',
  summary: 'appends sequenced lines to a file and counts those missing from it afterwards',
  params: defineCanaryParams('file.append', {
    path: Type.String({ minLength: 1, description: 'File to append to, relative to the target home; it must lie under the target’s roots.' }),
  }, 'Appended data is not lost.'),
  create(params, { target }) {
    // Symlinks followed: a link under the roots that leads outside them is refused.
    const path = resolveGuardedPath(target, params.path, 'canary.path');
    return {
      async send(token) {
        try {
          await appendFile(path, `${token}\n`);
          return { accepted: true };
        } catch (error) {
          return { accepted: false, detail: (error as NodeJS.ErrnoException).code ?? String(error) };
        }
      },
      async collect() {
        return readFile(path, 'utf8').catch(() => '');
      },
    };
  },
});
