// Canary: sequenced lines appended to a file under the target's roots, reconciled with the file's content.
import { appendFile, readFile } from 'node:fs/promises';
import { relative, isAbsolute } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';

export default defineCanary({
  type: 'file.append',
  summary: 'appends sequenced lines to a file and counts those missing from it afterwards',
  params: defineCanaryParams('file.append', {
    path: Type.String({ minLength: 1, description: 'File to append to, relative to the target home; it must lie under the target’s roots.' }),
  }, 'Appended data is not lost.'),
  create(params, { target }) {
    const path = target.resolvePath(params.path);
    const inside = target.roots.some((root) => {
      const rel = relative(root, path);
      return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
    });
    if (!inside) throw new GuardError(`canary file.append: ${path} is not under the target's roots (${target.roots.join(', ')})`, { hint: 'append to a file inside the target' });
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
