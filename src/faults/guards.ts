// Guards shared by faults: nothing outside the target's declared roots is ever touched.
import { readlinkSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { withDirectory } from '../util/safe-fs.js';

/** Resolves the real path of `path`, or of its nearest existing parent plus the rest. */
export function getRealPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return resolve(getRealPath(parent), relative(parent, path));
  }
}

/** True when `child` is `root` or inside it. */
function isInside(root: string, child: string): boolean {
  const rel = relative(root, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

/**
 * Resolves a scenario path against the target and refuses it unless it lies under one of
 * the target's roots, symlinks followed (a link that escapes the roots is refused).
 */
export function resolveGuardedPath(target: Target, path: string, field: string): string {
  return checkGuardedPath(target, path, field).absolute;
}

/**
 * Like resolveGuardedPath, but returns the real path it checked: a caller that resolved the path again
 * would get whatever a link swapped in meanwhile names, which nobody checked.
 */
export function resolveGuardedRealPath(target: Target, path: string, field: string): string {
  return checkGuardedPath(target, path, field).real;
}

/**
 * Opens the directory `dir` (no symlink in it, see safe-fs) and refuses it unless the directory the fd
 * actually holds lies under the roots: the kernel's name for it (/proc/self/fd/N), so the check is tied
 * to what was opened, not to a path a link could redirect after it was checked. `work` gets the fd.
 */
export function withGuardedDirectory<T>(target: Target, dir: string, field: string, work: (dirFd: number) => T): T {
  return withDirectory(dir, undefined, (dirFd) => {
    checkOpenedDirectory(target, dirFd, dir, field);
    return work(dirFd);
  });
}

/** Refuses an open directory fd that is not under the target's roots (canonical both sides). */
export function checkOpenedDirectory(target: Target, dirFd: number, label: string, field: string): void {
  const opened = readlinkSync(`/proc/self/fd/${dirFd}`);
  const roots = target.roots.map(getRealPath);
  if (!opened.startsWith('/') || !roots.some((root) => isInside(root, opened))) {
    throw new GuardError(`${field}: the directory ${label} opened as ${opened}, which is outside the target's roots (${target.roots.join(', ')}); a link in the path changed while faultline checked it`, {
      hint: 'faults only touch files under the roots the target declares; if the target swaps links under its roots, stop that before running faults',
      final: true,
    });
  }
}

/** The guard itself: the absolute path as spelled (for messages) and the real path it checked (to act on). */
export function checkGuardedPath(target: Target, path: string, field: string): { absolute: string; real: string } {
  const absolute = target.resolvePath(path);
  const real = getRealPath(absolute);
  const roots = target.roots.map(getRealPath);
  if (!roots.some((root) => isInside(root, real))) {
    const escaped = real !== absolute ? ` (it resolves to ${real})` : '';
    throw new GuardError(`${field}: ${absolute}${escaped} is outside the target's roots (${target.roots.join(', ')})`, {
      hint: 'faults only touch files under the roots the target declares',
      final: true,
    });
  }
  return { absolute, real };
}
