// config.corrupt against a live reference orchestrator: every mode corrupts, rollback restores byte for byte.
import { chmodSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { corruptBytes } from '../../src/faults/corrupt-bytes.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, sha256File as sha256 } from './fault-steps.js';

let target: ReferenceTarget;
let config: string;

beforeAll(async () => {
  target = await startTarget();
  config = join(target.dir, 'config', 'orchestrator.conf');
});
afterAll(disposeAll);

describe('config.corrupt', () => {
  test.each(['truncate', 'random-bytes', 'syntax', 'delete-key', 'empty'])('mode %s changes the file; rollback restores its bytes and mode', async (mode) => {
    chmodSync(config, 0o640);
    const before = sha256(config);
    const fault = await injectFault(target, { type: 'config.corrupt', path: 'config/orchestrator.conf', mode });
    expect(sha256(config)).not.toBe(before);
    const result = await fault.rollback();
    expect(result).toMatchObject({ ok: true });
    expect(sha256(config)).toBe(before);
    expect(statSync(config).mode & 0o7777).toBe(0o640);
    expect((await fault.rollback()).ok).toBe(true); // idempotent
    expect(sha256(config)).toBe(before);
  });

  test('delete-key removes exactly that key, and a key that is not there is refused before anything changes', async () => {
    const fault = await injectFault(target, { type: 'config.corrupt', path: 'config/orchestrator.conf', mode: 'delete-key', key: 'CHECKIN_INTERVAL_MS' });
    const text = readFileSync(config, 'utf8');
    expect(text).not.toMatch(/^CHECKIN_INTERVAL_MS=/m);
    expect(text).toMatch(/^PROJECTS=/m);
    await fault.rollback();
    const before = sha256(config);
    await expect(prepareFault(target, { type: 'config.corrupt', path: 'config/orchestrator.conf', mode: 'delete-key', key: 'NO_SUCH_KEY' })).rejects.toThrow(/^fault\.key: key NO_SUCH_KEY not found/);
    expect(sha256(config)).toBe(before);
  });

  test('random-bytes is reproducible from its seed and always differs from the original', () => {
    const original = Buffer.from('A=1\nB=2\n');
    const first = corruptBytes(original, { mode: 'random-bytes', seed: 3, bytes: 8 });
    expect(corruptBytes(original, { mode: 'random-bytes', seed: 3, bytes: 8 })).toEqual(first);
    for (let seed = 0; seed < 200; seed += 1) {
      const corrupted = corruptBytes(original, { mode: 'random-bytes', seed, bytes: 2 });
      expect(corrupted.equals(original)).toBe(false);
      expect([...corrupted].filter((byte, index) => byte !== original[index])).toHaveLength(2);
    }
  });

  test('refuses a path outside the roots and a symlink that escapes them, naming the field', async () => {
    const link = join(target.dir, 'config', 'escape.conf');
    symlinkSync('/etc/hostname', link);
    await expect(prepareFault(target, { type: 'config.corrupt', path: '/etc/passwd', mode: 'syntax' })).rejects.toThrow(/^fault\.path: \/etc\/passwd is outside the target's roots/);
    await expect(prepareFault(target, { type: 'config.corrupt', path: 'config/escape.conf', mode: 'syntax' })).rejects.toThrow(/^fault\.path: .*escape\.conf \(it resolves to \/etc\/hostname\) is outside the target's roots/);
    await expect(prepareFault(target, { type: 'config.corrupt', path: 'config/../../outside.conf', mode: 'syntax' })).rejects.toThrow(/^fault\.path: .* is outside the target's roots/);
  });

  test('refuses a file that does not exist and an empty file it would leave unchanged', async () => {
    await expect(prepareFault(target, { type: 'config.corrupt', path: 'config/missing.conf', mode: 'syntax' })).rejects.toThrow(/^fault\.path: .*missing\.conf is not an existing regular file/);
    writeFileSync(join(target.dir, 'tmp', 'empty.conf'), '');
    await expect(prepareFault(target, { type: 'config.corrupt', path: 'tmp/empty.conf', mode: 'empty' })).rejects.toThrow(/^fault\.mode: empty leaves .* unchanged/);
  });
});
