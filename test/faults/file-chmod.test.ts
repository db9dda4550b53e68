// file.chmod against a live reference orchestrator: the mode changes; rollback restores the saved one.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget } from './fault-steps.js';

const modeOf = (path: string) => statSync(path).mode & 0o7777;
let target: ReferenceTarget;

beforeAll(async () => {
  target = await startTarget();
});
afterAll(disposeAll);

describe('file.chmod', () => {
  test('makes the config unreadable (000); rollback restores its mode, verified, and is idempotent', async () => {
    const config = join(target.dir, 'config', 'orchestrator.conf');
    const before = modeOf(config);
    const fault = await injectFault(target, { type: 'file.chmod', path: 'config/orchestrator.conf' });
    expect(modeOf(config)).toBe(0o000);
    expect(await fault.rollback()).toMatchObject({ ok: true });
    expect(modeOf(config)).toBe(before);
    expect((await fault.rollback()).ok).toBe(true);
    expect(await fault.verify()).toBe(false);
  });

  test('makes a directory world-writable (0777) and back', async () => {
    const dir = join(target.dir, 'registry');
    const before = modeOf(dir);
    const fault = await injectFault(target, { type: 'file.chmod', path: 'registry', mode: '0777' });
    expect(modeOf(dir)).toBe(0o777);
    await fault.rollback();
    expect(modeOf(dir)).toBe(before);
  });

  test('refuses a path outside the roots, a missing path, and a mode the file already has', async () => {
    await expect(prepareFault(target, { type: 'file.chmod', path: '/etc/passwd', mode: '666' })).rejects.toThrow(/^fault\.path: \/etc\/passwd is outside the target's roots/);
    await expect(prepareFault(target, { type: 'file.chmod', path: 'config/missing' })).rejects.toThrow(/^fault\.path: .* is not an existing file or directory/);
    const current = modeOf(join(target.dir, 'config', 'orchestrator.conf')).toString(8).padStart(3, '0');
    await expect(prepareFault(target, { type: 'file.chmod', path: 'config/orchestrator.conf', mode: current })).rejects.toThrow(/^fault\.mode: .* already has mode/);
    expect(modeOf('/etc/passwd')).toBe(0o644);
  });
});
