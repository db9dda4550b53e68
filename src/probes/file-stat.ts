// Probe: a file's size and permission bits stay within limits (a log under its budget, a config not
// writable by others, readable by its owner), from one stat — no process (stat, test). Event-driven
// through fs.watch, which announces writes and chmods alike.
import { Type } from '@sinclair/typebox';
import { InputError } from '../errors.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { statQuietly } from './file-cache.js';
import { createFileProbe } from './watch-file.js';
import { MAX_BYTES } from '../util/number-limits.js';

const MiB = 1024 * 1024;
const octal = (description: string) => Type.String({ pattern: '^[0-7]{1,4}$', description });

const params = defineProbeParams('file.stat', {
  path: Type.String({ minLength: 1, description: 'File path (relative to the target home).' }),
  maxBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_BYTES, description: 'Largest size that passes, in bytes.' })),
  modeForbids: Type.Optional(octal('Permission bits, in octal and quoted, none of which may be set ("022": not writable by group or others)')),
  modeRequires: Type.Optional(octal('Permission bits, in octal and quoted, all of which must be set ("400": readable by its owner)')),
}, 'A file’s size and permission bits stay within limits.');
// At least one check (explained by `faultline validate` as "expected at least one of …").
Object.assign(params, { anyOf: [{ required: ['maxBytes'] }, { required: ['modeForbids'] }, { required: ['modeRequires'] }] });

export default defineProbe({
  type: 'file.stat',
  summary: 'passes while the file’s size is at most maxBytes and its mode has none of modeForbids and all of modeRequires',
  params,
  checkParams: findContradiction,
  create(params, { target, sources }) {
    const path = target.resolvePath(params.path);
    const forbids = parseMode(params.modeForbids);
    const requires = parseMode(params.modeRequires);
    const contradiction = findContradiction(params);
    if (contradiction) throw new InputError(`file.stat on ${params.path}: ${contradiction.field}: ${contradiction.message}`, { hint: 'run `faultline validate` on the scenario' });
    return createFileProbe(sources, path, async () => {
      const stat = statQuietly(path);
      if (!stat) return { ok: false, detail: `${params.path} missing` };
      const problems: string[] = [];
      const size = Number(stat.size);
      if (params.maxBytes !== undefined && size > params.maxBytes) problems.push(`${params.path} is ${describeBytes(size)}, more than maxBytes ${describeBytes(params.maxBytes)}`);
      const mode = Number(stat.mode) & 0o7777;
      const modeProblems: string[] = [];
      const present = mode & forbids;
      if (present !== 0) modeProblems.push(`${describeBits(present)} ${formatMode(present)} set (modeForbids ${params.modeForbids})`);
      const missing = requires & ~mode;
      if (missing !== 0) modeProblems.push(`${describeBits(missing)} ${formatMode(missing)} not set (modeRequires ${params.modeRequires})`);
      if (modeProblems.length > 0) problems.push(`${params.path} mode ${formatMode(mode, 4)}: ${modeProblems.join(', ')}`);
      return problems.length === 0 ? { ok: true } : { ok: false, detail: problems.join('; ') };
    });
  },
});

function parseMode(mode: string | undefined): number {
  return mode === undefined ? 0 : parseInt(mode, 8);
}

// What the schema cannot say: a mode check with no bits always passes; shared bits never can.
function findContradiction(params: { modeForbids?: string; modeRequires?: string }): { field: string; message: string } | undefined {
  for (const field of ['modeForbids', 'modeRequires'] as const) {
    if (params[field] !== undefined && parseMode(params[field]) === 0) return { field, message: `expected at least one permission bit; got "${params[field]}" (a check of no bits always passes)` };
  }
  const shared = parseMode(params.modeForbids) & parseMode(params.modeRequires);
  if (shared !== 0) return { field: 'modeRequires', message: `shares bits ${formatMode(shared)} with modeForbids ${params.modeForbids}, so no mode could pass; remove them from one of the two` };
  return undefined;
}

// Octal digits of permission bits, at least `digits` of them ("022", "0666").
function formatMode(bits: number, digits = 3): string {
  return bits.toString(8).padStart(digits, '0');
}

// 0o022 → "group/other write bits", 0o400 → "owner read bit", 0o4000 → "setuid bit".
function describeBits(bits: number): string {
  const parts: string[] = ([[0o4000, 'setuid'], [0o2000, 'setgid'], [0o1000, 'sticky']] as const).filter(([bit]) => bits & bit).map(([, name]) => name);
  for (const [bit, right] of [[4, 'read'], [2, 'write'], [1, 'execute']] as const) {
    const who = ([[6, 'owner'], [3, 'group'], [0, 'other']] as const).filter(([shift]) => bits & (bit << shift)).map(([, name]) => name);
    if (who.length > 0) parts.push(`${who.join('/')} ${right}`);
  }
  let count = 0;
  for (let rest = bits; rest !== 0; rest &= rest - 1) count += 1;
  return `${parts.join(', ')} bit${count === 1 ? '' : 's'}`;
}

// "2097152 bytes (2.0 MiB)", "512 bytes".
function describeBytes(bytes: number): string {
  return bytes >= MiB ? `${bytes} bytes (${(bytes / MiB).toFixed(1)} MiB)` : `${bytes} bytes`;
}
