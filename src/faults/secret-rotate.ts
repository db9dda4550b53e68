// Fault: the application's secret changes under it (the web-app failure matrix's "JWT secret missing or
// rotated"): in a KEY=VALUE env file, the key is rotated to a new random value (optionally keeping the old
// one under a grace key, the matrix's mitigation), removed, or set to a weak default; then a restart hook
// makes the application read it. Rollback restores the file byte for byte (verified by sha256) and runs
// the hook again. The file's bytes are saved first and every write goes through its recorded inode.
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Type } from '@sinclair/typebox';
import { GuardError, getErrorMessage } from '../errors.js';
import { hashFile } from '../util/hash.js';
import { backUpFile, overwriteBackedUpFile, restoreFile } from './file-backup.js';
import { resolveGuardedPath } from './guards.js';
import { describeRestartHook, restartHookParam, runRestartHook } from './restart-hook.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

const KEY = '^[A-Za-z_][A-Za-z0-9_]{0,127}$';
/** The weak value of mode weak: the failure matrix's hardcoded default. */
export const WEAK_SECRET = 'your-secret-key-change-in-production';

export default defineFault({
  type: 'secret.rotate',
  summary: 'rotates, removes or weakens a secret in a KEY=VALUE env file, then runs a restart hook; rollback restores the file and restarts again',
  params: defineFaultParams('secret.rotate', {
    path: Type.String({ minLength: 1, description: 'The env file (KEY=VALUE lines), relative to the target home, e.g. api/api.env.' }),
    key: Type.Optional(Type.String({ pattern: KEY, default: 'JWT_SECRET', description: 'The secret’s key.' })),
    mode: Type.Optional(Type.Union([Type.Literal('rotate'), Type.Literal('remove'), Type.Literal('weak')], { default: 'rotate', description: 'rotate: a new random value; remove: the line is deleted (the secret is missing); weak: the matrix’s hardcoded default value.' })),
    graceKey: Type.Optional(Type.String({ pattern: KEY, description: 'rotate: keep the old value under this key (e.g. JWT_SECRET_PREVIOUS), the grace period of a planned rotation.' })),
    restart: restartHookParam,
  }, 'Rotate or remove a secret.'),
  isPlanStatic: () => true,
  async plan(params, { target }) {
    const path = resolveGuardedPath(target, params.path, 'fault.path');
    const key = params.key ?? 'JWT_SECRET';
    const mode = params.mode ?? 'rotate';
    if (params.graceKey !== undefined && mode !== 'rotate') throw new GuardError('fault.graceKey: only a rotation keeps the old value; remove graceKey or use mode rotate');
    const hook = describeRestartHook(params.restart);
    return {
      touches: [
        `${mode === 'rotate' ? `set ${key} to a new random value${params.graceKey ? `, the old one kept as ${params.graceKey}` : ''}` : mode === 'remove' ? `remove ${key}` : `set ${key} to the hardcoded default`} in ${path}; original bytes, mode and owner saved for rollback`,
        ...(hook ? [hook] : []),
      ],
      guards: [`path under the target roots (${target.roots.join(', ')}), symlinks resolved`, 'a regular file with one link; rollback writes only through the recorded inode and verifies its sha256', ...(params.restart ? ['the restart hook signals only a process the target declares'] : [])],
    };
  },
  async prepare(params, { target, stateDir }) {
    const saved = await backUpFile(target, params.path, stateDir);
    const key = params.key ?? 'JWT_SECRET';
    if (!hasKey((await readFile(saved.backup)).toString('utf8'), key)) throw new GuardError(`fault.key: ${saved.path} has no ${key}= line`, { hint: 'name the key the application reads its secret from' });
    return { ...saved };
  },
  async inject(params, { target }, state) {
    const original = (await readFile(String(state.backup))).toString('utf8');
    overwriteBackedUpFile(state, Buffer.from(rewrite(original, params.key ?? 'JWT_SECRET', params.mode ?? 'rotate', params.graceKey)));
    if (params.restart) await runRestartHook(target, params.restart);
  },
  async verify(params, _context, state) {
    try {
      const text = await readFile(String(state.path), 'utf8');
      const key = params.key ?? 'JWT_SECRET';
      return (await hashFile(String(state.path))) !== state.sha256 && (params.mode === 'remove' ? !hasKey(text, key) : hasKey(text, key));
    } catch {
      return false;
    }
  },
  async rollback(params, { target }, state) {
    const restored = await restoreFile(state);
    if (!restored.ok || !params.restart) return restored;
    try {
      return { ok: true, detail: `${restored.detail}; ${await runRestartHook(target, params.restart)}` };
    } catch (error) {
      // The file is right again; the application picks it up at its next start.
      return { ok: true, detail: `${restored.detail}; restart hook not run (${getErrorMessage(error)}): the application reads the restored file when it next starts` };
    }
  },
});

function hasKey(text: string, key: string): boolean {
  return text.split('\n').some((line) => line.trim().startsWith(`${key}=`));
}

// Lines of other keys are kept exactly; the key's line is replaced (or dropped), the grace key's replaced or appended.
function rewrite(text: string, key: string, mode: string, graceKey: string | undefined): string {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => line.trim().startsWith(`${key}=`));
  const old = lines[index]!.slice(lines[index]!.indexOf('=') + 1).trim();
  if (mode === 'remove') lines.splice(index, 1);
  else lines[index] = `${key}=${mode === 'weak' ? WEAK_SECRET : randomBytes(32).toString('hex')}`;
  if (graceKey !== undefined) {
    const grace = lines.findIndex((line) => line.trim().startsWith(`${graceKey}=`));
    if (grace >= 0) lines[grace] = `${graceKey}=${old}`;
    else lines.splice(index + 1, 0, `${graceKey}=${old}`);
  }
  return lines.join('\n');
}
