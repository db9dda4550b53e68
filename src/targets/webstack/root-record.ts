// faultline's own copy of a web stack's state, outside the instance: the instance directory belongs to
// the stack's uid, so webstack.json there is whatever that uid last wrote. Ports and credentials that
// root acts on (net faults' rules and redirects, probes, status's health check) come from this copy,
// one file per instance in a directory private to faultline's user.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TargetError } from '../../errors.js';
import { writeFileReplacing } from '../../util/safe-fs.js';
import { STATE_FORMAT, type WebstackState } from './state.js';

/** Where the records live: root's under /run/faultline, anyone else's in a private dir of their own. */
export function getWebstackRecordDir(): string {
  const uid = process.getuid?.() ?? 0;
  if (uid === 0 && existsSync('/run')) return '/run/faultline/webstack';
  return `/tmp/faultline-webstack-${uid}`;
}

/** The record's path for the instance in `dir` (its real path). */
export function getWebstackRecordPath(dir: string, recordDir = getWebstackRecordDir()): string {
  return join(recordDir, `${createHash('sha256').update(dir).digest('hex').slice(0, 32)}.json`);
}

/** Writes faultline's copy of the state (before the in-dir copy, so a crash never leaves only the forgeable one). */
export function writeWebstackRecord(state: WebstackState, recordDir = getWebstackRecordDir()): void {
  ensurePrivateDir(recordDir);
  writeFileReplacing(getWebstackRecordPath(state.dir, recordDir), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
}

/** faultline's copy of the state of the instance in `dir`; undefined when there is none (or it names another dir). */
export function readWebstackRecord(dir: string, recordDir = getWebstackRecordDir()): WebstackState | undefined {
  if (!isPrivateDir(recordDir)) return undefined;
  try {
    const real = getRealPath(dir);
    const state = JSON.parse(readFileSync(getWebstackRecordPath(real, recordDir), 'utf8')) as WebstackState;
    return state && state.format === STATE_FORMAT && state.dir === real ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Removes the record once the instance is stopped. */
export function removeWebstackRecord(dir: string, recordDir = getWebstackRecordDir()): void {
  if (isPrivateDir(recordDir)) rmSync(getWebstackRecordPath(dir, recordDir), { force: true });
}

// Start records the real path; a caller may name the dir through a link.
function getRealPath(dir: string): string {
  try {
    return realpathSync(dir);
  } catch {
    return dir;
  }
}

// A dir someone else made (under /tmp, for a non-root user) could hold forged records: only ours, mode 700, counts.
function ensurePrivateDir(recordDir: string): void {
  mkdirSync(recordDir, { recursive: true, mode: 0o700 });
  if (isPrivateDir(recordDir)) return;
  const stat = lstatSync(recordDir);
  throw new TargetError(`the web-stack record directory ${recordDir} is not a directory private to this user (owner ${stat.uid}, mode ${(stat.mode & 0o777).toString(8)})`, {
    hint: `remove it (rm -r ${recordDir}) so faultline can create it again with mode 700`,
  });
}

function isPrivateDir(recordDir: string): boolean {
  try {
    const stat = lstatSync(recordDir);
    return stat.isDirectory() && stat.uid === (process.getuid?.() ?? 0) && (stat.mode & 0o077) === 0;
  } catch {
    return false;
  }
}
