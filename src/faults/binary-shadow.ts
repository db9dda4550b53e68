// Fault: make a command (tmux, python3, …) unavailable to the target by putting a failing executable of
// that name in the directory first on the target's PATH (under its roots). Rollback removes exactly that file.
// Created with O_EXCL and removed by unlink in the directory prepare recorded (util/safe-fs), so a bin/
// the target swaps for a link to a system directory never gets faultline's script or loses a file.
// The script is written and fsync'd under a temp name (prefix recorded at prepare) and only then linked
// to its name, which link() never replaces: a kill at any moment leaves either nothing at the name or
// the whole script, and a temp file rollback (and recover) finds by its prefix.
import { closeSync, constants, existsSync, linkSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { hashBytes } from '../util/hash.js';
import { UnsafePathError, createTempFile, createTempPrefix, getChildPath, getFdIdentity, inspectEntry, openFile, readAllBounded, removeTempFiles, setOwnerAndMode, syncDirectory, syncFile, unlinkEntry, withDirectory, writeAll } from '../util/safe-fs.js';
import { resolveGuardedPath, withGuardedDirectory } from './guards.js';
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
    const realDir = realpathSync(dir);
    // Opened and checked against the roots as opened: the realpath above may name where a swapped link pointed.
    const found = withGuardedDirectory(target, realDir, 'fault.binary', (dirFd) => ({ dirId: getFdIdentity(dirFd), kind: inspectEntry(dirFd, params.binary).kind }));
    if (existsSync(path) || found.kind !== 'missing') throw new GuardError(`fault.binary: ${path} already exists; binary.shadow never replaces a file it did not create`);
    const script = renderShadow(params.binary, params.exitCode ?? 127);
    return {
      path, realDir, dirId: found.dirId, sha256: hashBytes(Buffer.from(script)), script, resolvedBefore: findOnPath(params.binary, getPathEntries(target.env)) ?? null,
      tempPrefix: createTempPrefix(params.binary),
    };
  },
  async inject(params, _context, state) {
    // The whole script under a fresh temp name (O_EXCL in the recorded directory), then link()ed to its
    // name: a file (or link) that appeared since prepare is never overwritten or followed, and the name
    // never holds a partial script.
    withShadowDir(state, (dirFd) => {
      const temp = createTempFile(dirFd, getTempPrefix(state, params.binary), 0o700);
      try {
        try {
          writeAll(temp.fd, Buffer.from(String(state.script)), 0);
          setOwnerAndMode(temp.fd, 0o755);
          syncFile(temp.fd);
        } finally {
          closeSync(temp.fd);
        }
        try {
          linkSync(getChildPath(dirFd, temp.name), getChildPath(dirFd, params.binary));
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new GuardError(`fault.binary: ${String(state.path)} appeared since prepare; binary.shadow never replaces a file it did not create`, { cause: error });
          throw error;
        }
      } finally {
        unlinkEntry(dirFd, temp.name);
      }
      syncDirectory(dirFd);
    });
  },
  async verify(params, { target }, state) {
    return findOnPath(params.binary, getPathEntries(target.env)) === state.path;
  },
  async rollback(params, { target }, state) {
    const path = String(state.path);
    let removed: boolean;
    try {
      removed = withShadowDir(state, (dirFd) => {
        // An inject killed half-way leaves at most its temp file (ours by the recorded prefix); it also holds a second link to the shadow until removed.
        if (typeof state.tempPrefix === 'string') removeTempFiles(dirFd, state.tempPrefix);
        const kind = inspectEntry(dirFd, params.binary).kind;
        if (kind === 'missing') return false;
        if (kind !== 'file') throw new UnsafePathError(`${path} was replaced by ${kind === 'symlink' ? 'a symlink' : kind === 'directory' ? 'a directory' : 'something that is not a regular file'} since it was created; left in place — inspect it, then run faultline recover`);
        const fd = openFile(dirFd, params.binary, constants.O_RDONLY, path);
        if (fd === undefined) return false;
        try {
          if (hashBytes(readAllBounded(fd, Buffer.byteLength(String(state.script)), path)) !== state.sha256) throw new UnsafePathError(`${path} was changed by something else since it was created; left in place`);
        } finally {
          closeSync(fd);
        }
        return unlinkEntry(dirFd, params.binary);
      });
    } catch (error) {
      if (error instanceof UnsafePathError) return { ok: false, detail: error.message };
      throw error;
    }
    const resolved = findOnPath(params.binary, getPathEntries(target.env)) ?? null;
    if (existsSync(path)) return { ok: false, detail: `${path} is still there` };
    if (resolved !== state.resolvedBefore) return { ok: false, detail: `${params.binary} resolves to ${resolved ?? 'nothing'} on the target’s PATH, expected ${String(state.resolvedBefore ?? 'nothing')}` };
    return { ok: true, detail: `${removed ? 'removed' : 'already gone:'} ${path}; ${params.binary} resolves to ${resolved ?? 'nothing'} again` };
  },
});

// States from before temp names were recorded get one now (only inject uses it then; nothing to find on rollback).
function getTempPrefix(state: Record<string, unknown>, binary: string): string {
  return typeof state.tempPrefix === 'string' ? state.tempPrefix : createTempPrefix(binary);
}

// The directory the shadow lives in, opened only if it is still the one prepare recorded.
function withShadowDir<T>(state: Record<string, unknown>, work: (dirFd: number) => T): T {
  const dir = typeof state.realDir === 'string' ? state.realDir : realpathSync(String(state.path).replace(/\/[^/]+$/, ''));
  return withDirectory(dir, typeof state.dirId === 'string' ? state.dirId : undefined, work);
}

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
