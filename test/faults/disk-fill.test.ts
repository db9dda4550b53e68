// disk.fill for real: the reference's data tmpfs filled with one fallocate'd file, the orchestrator
// hitting ENOSPC, the filler removed on rollback; guards refuse before anything changes.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, statfsSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GuardError, InputError } from '../../src/errors.js';
import diskFill from '../../src/faults/disk-fill.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import type { Target } from '../../src/targets/types.js';
import { startTracked, stopStarted, waitFor } from '../targets/reference/helpers.js';
import { injectFault, needsRoot, runCli, writeScenarioYaml } from './resource-fault-helpers.js';

const freeBytes = (path: string) => {
  const stats = statfsSync(path);
  return stats.bavail * stats.bsize;
};
const fillers = (dir: string) => readdirSync(dir).filter((name) => name.startsWith('.faultline-fill-'));

let target: ReferenceTarget;
let data: string;
beforeAll(async () => {
  target = await startTracked({ heal: false, checkinIntervalMs: 100 });
  data = join(target.dir, 'data');
});
afterAll(stopStarted);

describe('disk.fill', () => {
  test.skipIf(needsRoot)('fills the data tmpfs to 0 bytes free with one fallocated file; the orchestrator hits ENOSPC; rollback removes it', async () => {
    const before = freeBytes(data);
    const fault = await injectFault(diskFill, { type: 'disk.fill', path: 'data', bytesFree: 0 }, target);
    try {
      expect(fault.verified).toBe(true);
      expect(freeBytes(data)).toBe(0);
      const [filler] = fillers(data);
      expect(statSync(join(data, filler!)).blocks * 512).toBeGreaterThanOrEqual(before - 8192);
      await waitFor('the scheduler to fail saving its state', () => readFileSync(join(target.dir, 'logs', 'orchestrator.log'), 'utf8').includes('state not saved: ENOSPC'));
    } finally {
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringMatching(/removed/) });
    }
    expect(fillers(data)).toEqual([]);
    expect(Math.abs(freeBytes(data) - before)).toBeLessThanOrEqual(16 * 1024); // the scheduler's state file may have changed meanwhile
    expect((await diskFill.rollback(fault.params, fault.context, fault.state)).ok).toBe(true); // idempotent
  });

  test.skipIf(needsRoot)('fills to a percentage of the filesystem', async () => {
    const fault = await injectFault(diskFill, { type: 'disk.fill', path: 'data/', percent: 75 }, target);
    try {
      const stats = statfsSync(data);
      const used = (stats.blocks - stats.bfree) / stats.blocks;
      expect(used).toBeGreaterThanOrEqual(0.75 - 1 / stats.blocks);
      expect(used).toBeLessThan(0.76);
    } finally {
      expect((await fault.rollback()).ok).toBe(true);
    }
  });

  test('refuses a path outside the roots, a symlink out of them, the host disk and an ambiguous level, before anything changes', async () => {
    const context = { target, stateDir: tmpdir() };
    await expect(diskFill.plan({ type: 'disk.fill', path: '/tmp', percent: 50 }, context)).rejects.toThrow(/fault\.path: \/tmp is outside the target's roots/);
    mkdirSync(join(target.dir, 'tmp', 'links'), { recursive: true });
    symlinkSync(tmpdir(), join(target.dir, 'tmp', 'links', 'escape'));
    await expect(diskFill.plan({ type: 'disk.fill', path: 'tmp/links/escape', percent: 50 }, context)).rejects.toThrow(/fault\.path: .*escape \(it resolves to .*\) is outside the target's roots/);
    await expect(diskFill.prepare({ type: 'disk.fill', path: 'logs', bytesFree: 0 }, context)).rejects.toBeInstanceOf(GuardError);
    await expect(diskFill.plan({ type: 'disk.fill', path: 'logs', bytesFree: 0 }, context)).rejects.toThrow(/fault\.path: .*logs is on \/.*shared with the host/);
    await expect(diskFill.plan({ type: 'disk.fill', path: 'data', bytesFree: 0, percent: 50 }, context)).rejects.toBeInstanceOf(InputError);
    await expect(diskFill.plan({ type: 'disk.fill', path: 'data' }, context)).rejects.toThrow(/exactly one of percent or bytesFree/);
    expect(fillers(data)).toEqual([]);
    rmSync(join(target.dir, 'tmp', 'links'), { recursive: true, force: true });
  });

  test('fills a budgeted data area (a plain directory, as without root) to a share of its budget', async () => {
    const home = mkdtempSync(join(tmpdir(), 'faultline-budget-'));
    try {
      mkdirSync(join(home, 'data'));
      const budget: Target = {
        name: 'budget',
        driver: 'external',
        capabilities: [],
        home,
        roots: [home],
        env: {},
        dataAreas: [{ path: join(home, 'data'), kind: 'directory', sizeBytes: 8 * 1024 * 1024 }],
        resolvePath: (path) => resolve(home, path),
        tmux: async () => ({ exitCode: 1, stdout: '', stderr: '' }),
        describe: () => ({}),
      };
      const fault = await injectFault(diskFill, { type: 'disk.fill', path: 'data', percent: 50 }, budget);
      expect(fault.verified).toBe(true);
      const [filler] = fillers(join(home, 'data'));
      expect(statSync(join(home, 'data', filler!)).blocks * 512).toBeGreaterThanOrEqual(4 * 1024 * 1024 - 8192);
      expect((await fault.rollback()).ok).toBe(true);
      expect(fillers(join(home, 'data'))).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  test('through the CLI, a path outside the roots and a percentage over 100 exit 2 naming the field, and change nothing', async () => {
    const before = existsSync(data) ? fillers(data) : [];
    const outside = await runCli(['run', 'outside.yaml', '--target-dir', target.dir, '--reports', 'reports'], { 'outside.yaml': writeScenarioYaml('fill-outside', '{ type: disk.fill, path: /etc, percent: 50 }') });
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/fault\.path: \/etc is outside the target's roots/);
    expect(outside.ledger).toEqual([]);

    const overRun = await runCli(['run', 'over.yaml', '--target-dir', target.dir], { 'over.yaml': writeScenarioYaml('fill-over', '{ type: disk.fill, path: data, percent: 150 }') });
    expect(overRun.code).toBe(2);
    expect(overRun.stdout + overRun.stderr).toMatch(/over\.yaml:\d+:\d+ fault\.percent: expected a number ≤ 100; got 150/);
    expect(fillers(data)).toEqual(before);
  });
});
