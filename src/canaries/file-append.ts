// Canary: sequenced lines appended to a file under the target's roots, reconciled with the file's content.
// faultline may run as root and the target can swap the file for a link at any moment: every append and
// read goes through the directory the guard checked (its recorded inode) and never follows a link.
import { closeSync, constants } from 'node:fs';
import { Type } from '@sinclair/typebox';
import { checkGuardedPath, withGuardedDirectory } from '../faults/guards.js';
import { UnsafePathError, createExclusive, getFdIdentity, openFile, readAll, splitPath, withDirectory, writeAll } from '../util/safe-fs.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';

export default defineCanary({
  type: 'file.append',
  summary: 'appends sequenced lines to a file and counts those missing from it afterwards',
  params: defineCanaryParams('file.append', {
    path: Type.String({ minLength: 1, description: 'File to append to, relative to the target home; it must lie under the target’s roots.' }),
  }, 'Appended data is not lost.'),
  create(params, { target }) {
    // Symlinks followed once, here: a link under the roots that leads outside them is refused.
    const { absolute: path, real } = checkGuardedPath(target, params.path, 'canary.path');
    const { dir, name } = splitPath(real);
    // The directory's identity, taken (and checked against the roots as opened) at the first use.
    let dirId: string | undefined;
    const inDirectory = <T>(work: (dirFd: number) => T): T => {
      if (dirId === undefined) dirId = withGuardedDirectory(target, dir, 'canary.path', getFdIdentity);
      return withDirectory(dir, dirId, work);
    };
    return {
      async send(token) {
        try {
          inDirectory((dirFd) => {
            const fd = openFile(dirFd, name, constants.O_WRONLY | constants.O_APPEND, path) ?? createExclusive(dirFd, name, 0o644, constants.O_APPEND);
            if (fd === undefined) throw new UnsafePathError(`${path} appeared while faultline created it`);
            try {
              writeAll(fd, Buffer.from(`${token}\n`), null);
            } finally {
              closeSync(fd);
            }
          });
          return { accepted: true };
        } catch (error) {
          return { accepted: false, detail: error instanceof UnsafePathError ? error.message : ((error as NodeJS.ErrnoException).code ?? String(error)) };
        }
      },
      async collect() {
        try {
          return inDirectory((dirFd) => {
            const fd = openFile(dirFd, name, constants.O_RDONLY, path);
            if (fd === undefined) return '';
            try {
              return readAll(fd).toString('utf8');
            } finally {
              closeSync(fd);
            }
          });
        } catch (error) {
          // The file or its directory is gone or was replaced (a link, another inode): what was
          // appended there is no longer there, every item lost. Any other failure is no read at all.
          if (error instanceof UnsafePathError || isGoneError(error)) return '';
          throw error;
        }
      },
    };
  },
});

function isGoneError(error: unknown): boolean {
  return ['ENOENT', 'ENOTDIR', 'ELOOP'].includes((error as NodeJS.ErrnoException).code ?? '');
}
