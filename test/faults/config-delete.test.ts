// config.delete against a live reference orchestrator: the file goes; rollback puts it back byte for byte.
import { chmodSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, sha256File as sha256 } from './fault-steps.js';

let target: ReferenceTarget;
let config: string;

beforeAll(async () => {
  target = await startTarget();
  config = join(target.dir, 'config', 'orchestrator.conf');
});
afterAll(disposeAll);

describe('config.delete', () => {
  test('deletes the file; rollback re-creates it with the same sha256 and mode, and is idempotent', async () => {
    chmodSync(config, 0o600);
    const before = sha256(config);
    const fault = await injectFault(target, { type: 'config.delete', path: 'config/orchestrator.conf' });
    expect(existsSync(config)).toBe(false);
    const result = await fault.rollback();
    expect(result).toMatchObject({ ok: true, detail: expect.stringContaining('re-created') });
    expect(sha256(config)).toBe(before);
    expect(statSync(config).mode & 0o7777).toBe(0o600);
    expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringContaining('already had its original bytes') });
    expect(await fault.verify()).toBe(false);
  });

  test('rollback also replaces a different file written in its place while the fault was in effect', async () => {
    const before = sha256(config);
    const fault = await injectFault(target, { type: 'config.delete', path: 'config/orchestrator.conf' });
    writeFileSync(config, 'PROJECTS="someone-else"\n');
    expect((await fault.rollback()).ok).toBe(true);
    expect(sha256(config)).toBe(before);
  });

  test('refuses a path outside the roots and a file that does not exist, before anything changes', async () => {
    await expect(prepareFault(target, { type: 'config.delete', path: '/etc/hostname' })).rejects.toThrow(/^fault\.path: \/etc\/hostname is outside the target's roots/);
    await expect(prepareFault(target, { type: 'config.delete', path: 'config/nope.conf' })).rejects.toThrow(/^fault\.path: .* is not an existing regular file/);
    expect(existsSync('/etc/hostname')).toBe(true);
  });
});
