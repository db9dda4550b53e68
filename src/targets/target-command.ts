// How faultline runs a command on a target's behalf (command probe, command canary) without lending it
// root: the target may own directories on its own PATH (the reference's bin/ comes first), so a program
// it planted there must never run with faultline's rights.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { TargetError } from '../errors.js';
import { findOnPath, getPathEntries } from '../faults/path-lookup.js';
import type { Target } from './types.js';

/** What to hand execa: the program, its arguments, its env and (when switching) the uid/gid to run as. */
export interface TargetCommand {
  file: string;
  args: string[];
  env: Record<string, string>;
  /** Set when faultline is root and the target has an identity of its own: the child runs as it (libuv drops supplementary groups). */
  uid?: number;
  gid?: number;
}

/**
 * Prepares `argv` to run with the target's env. As root against a target with a dedicated uid the command
 * runs as that uid, so whatever it finds on the target's PATH has only the target's rights. Otherwise the
 * PATH keeps only directories that no other user can write (owned by root or by faultline's own user), the
 * program is resolved on that PATH, and a name found only in an excluded directory is refused.
 */
export function prepareTargetCommand(target: Target, argv: readonly string[], extraEnv: Record<string, string> = {}): TargetCommand {
  const [file, ...args] = argv as [string, ...string[]];
  const env = { ...target.env, ...extraEnv };
  const self = process.getuid?.() ?? 0;
  if (self === 0 && target.runAs && target.runAs.uid !== 0) {
    return { file, args, env, uid: target.runAs.uid, gid: target.runAs.gid };
  }
  // Without a PATH of its own the child gets faultline's (execa extends process.env): resolve on that one.
  const entries = getPathEntries({ PATH: env.PATH ?? process.env.PATH ?? '' });
  const trusted = entries.filter((dir) => isTrustedDirectory(dir, self));
  const safeEnv = { ...env, PATH: trusted.join(':') };
  if (file.includes('/')) return { file, args, env: safeEnv };
  const resolved = findOnPath(file, trusted);
  if (resolved) return { file: resolved, args, env: safeEnv };
  const untrusted = entries.find((dir) => !trusted.includes(dir) && findOnPath(file, [dir]));
  if (untrusted) {
    throw new TargetError(`refusing to run ${file}: it is found only in ${untrusted}, a directory another user can write, and faultline runs as uid ${self}`, {
      hint: `install ${file} in a directory owned by root, or give its absolute path in the command`,
    });
  }
  throw new TargetError(`${file} is not on the target's PATH (${trusted.join(':') || 'empty'})`, { hint: `give its absolute path in the command` });
}

// A directory nobody but root (or `self`) can change: along both the written path and the one it resolves
// to, every component is owned by them and not writable by group or others (an ancestor with the sticky
// bit, like /tmp, cannot have the name renamed away).
function isTrustedDirectory(dir: string, self: number): boolean {
  let real: string;
  try {
    real = realpathSync(dir);
  } catch {
    return false;
  }
  return isTrustedChain(dir, self, false) && isTrustedChain(real, self, true);
}

function isTrustedChain(dir: string, self: number, checkModes: boolean): boolean {
  for (let path = dir, first = true; ; first = false) {
    try {
      const stats = lstatSync(path);
      if (stats.uid !== 0 && stats.uid !== self) return false;
      const writable = !stats.isSymbolicLink() && (stats.mode & 0o022) !== 0;
      if ((checkModes || !first) && writable && (first || (stats.mode & 0o1000) === 0)) return false;
    } catch {
      return false;
    }
    const parent = dirname(path);
    if (parent === path) return true;
    path = parent;
  }
}
