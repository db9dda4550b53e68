// Guards shared by faults: nothing outside the target's declared roots is ever touched.
import { realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';

/** Resolves the real path of `path`, or of its nearest existing parent plus the rest. */
function getRealPath(path: string): string {
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
  return absolute;
}
