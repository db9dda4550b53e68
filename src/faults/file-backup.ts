// Byte-for-byte backups of a file a fault changes, and the verified restore that rollback runs.
import { constants } from 'node:fs';
import { chmod, chown, copyFile, mkdir, open, readFile, realpath, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { hashBytes, hashFile } from '../util/hash.js';
import { resolveGuardedPath } from './guards.js';
import type { FaultState, RollbackResult } from './types.js';

/** Files larger than this are refused: their backup lives in the ledger's state directory. */
export const MAX_BACKUP_BYTES = 16 * 1024 * 1024;

/** What a backup saved: the file's real path, its bytes (in `backup`), hash, mode and owner. */
export interface FileBackup {
  path: string;
  backup: string;
  sha256: string;
  mode: number;
  uid: number;
  gid: number;
}

/**
 * Checks `pathParam` (under the roots, symlinks resolved, a regular file, not too large) and copies
 * it into `stateDir`. Faults then act on the real path, so a link inside the roots stays a link.
 */
export async function backUpFile(target: Target, pathParam: string, stateDir: string, field = 'fault.path'): Promise<FileBackup> {
  const guarded = resolveGuardedPath(target, pathParam, field);
  const path = await realpath(guarded).catch(() => guarded);
  const info = await stat(path).catch(() => undefined);
  if (!info?.isFile()) throw new GuardError(`${field}: ${guarded} is not an existing regular file`);
  if (info.size > MAX_BACKUP_BYTES) throw new GuardError(`${field}: ${guarded} is ${info.size} bytes; file faults back up at most ${MAX_BACKUP_BYTES} bytes`);
  const backup = join(stateDir, 'original');
  await copyFile(path, backup);
  return { path, backup, sha256: hashBytes(await readFile(backup)), mode: info.mode & 0o7777, uid: info.uid, gid: info.gid };
}

/** Reads a FileBackup back from a (ledger) state. */
export function getFileBackup(state: FaultState): FileBackup {
  return { path: String(state.path), backup: String(state.backup), sha256: String(state.sha256), mode: Number(state.mode), uid: Number(state.uid), gid: Number(state.gid) };
}

/** Puts the saved bytes, mode and owner back (idempotent) and verifies them: sha256 and mode equal. */
export async function restoreFile(state: FaultState): Promise<RollbackResult> {
  const saved = getFileBackup(state);
  const before = await hashFile(saved.path);
  if (before !== saved.sha256) {
    await mkdir(dirname(saved.path), { recursive: true });
    // In place (no temp file next to it): a crash mid-write leaves no stray file, and the intent stays open.
    const handle = await open(saved.path, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC, saved.mode);
    try {
      await handle.writeFile(await readFile(saved.backup));
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
  await chmod(saved.path, saved.mode);
  const info = await stat(saved.path);
  if (info.uid !== saved.uid || info.gid !== saved.gid) await chown(saved.path, saved.uid, saved.gid).catch(() => undefined);
  const hash = await hashFile(saved.path);
  const mode = (await stat(saved.path)).mode & 0o7777;
  if (hash !== saved.sha256) return { ok: false, detail: `${saved.path} still differs from the saved original (${saved.backup})` };
  if (mode !== saved.mode) return { ok: false, detail: `${saved.path} has mode ${formatMode(mode)}, expected ${formatMode(saved.mode)}` };
  const what = before === saved.sha256 ? 'already had its original bytes' : before === undefined ? 're-created' : 'restored';
  return { ok: true, detail: `${saved.path} ${what} (sha256 ${saved.sha256.slice(0, 12)}… matches, mode ${formatMode(mode)})` };
}

/** Mode as four octal digits (0644). */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, '0');
}
