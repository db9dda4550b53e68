// Where the host's live runs meet `faultline halt`, `note` and `gameday continue`: a private directory
// (the halt flag, one registration and one inbox per live run), outside every target's tree.
import { existsSync, lstatSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { GuardError } from '../../errors.js';

/**
 * The control directory: root-only under /run (or per uid under /tmp), so every run of the host sees one
 * halt switch. FAULTLINE_CONTROL_DIR moves it, for tests and sandboxes that must not halt the host's
 * other runs (a run started with another control dir does not see this one's halt).
 */
export function getControlDir(): string {
  if (process.env.FAULTLINE_CONTROL_DIR) return process.env.FAULTLINE_CONTROL_DIR;
  const uid = process.getuid?.() ?? 0;
  if (uid === 0 && existsSync('/run')) return '/run/faultline/control';
  return `/tmp/faultline-control-${uid}`;
}

/** Creates `dir` (and the control dir above it) private to this uid; refuses one another user could write. */
export function ensurePrivateDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== (process.getuid?.() ?? 0) || (stat.mode & 0o077) !== 0) {
    throw new GuardError(`${dir} is not a private directory of this user (it must be a directory, mode 0700, owned by uid ${process.getuid?.() ?? 0})`, {
      hint: 'remove it (or fix its owner and mode); another user could otherwise halt, continue or annotate runs',
    });
  }
  return dir;
}

/** The folder of live-run registrations and inboxes. */
export function getRunsDir(controlDir: string = getControlDir()): string {
  return join(controlDir, 'runs');
}
