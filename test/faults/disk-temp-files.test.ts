// disk.temp-files for real: files pile up in the reference's tmp/ (at once, or at a rate); rollback removes them all.
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import tempFiles from '../../src/faults/disk-temp-files.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { startTracked, stopStarted } from '../targets/reference/helpers.js';
import { injectFault } from './resource-fault-helpers.js';

let target: ReferenceTarget;
beforeAll(async () => {
  target = await startTracked({ heal: false });
});
afterAll(stopStarted);

const listTmp = () => readdirSync(join(target.dir, 'tmp'));

describe('disk.temp-files', () => {
  test('creates the files at once and rollback removes every one', async () => {
    const fault = await injectFault(tempFiles, { type: 'disk.temp-files', path: 'tmp', count: 150, sizeBytes: 512 }, target);
    try {
      expect(fault.verified).toBe(true);
      expect(listTmp()).toHaveLength(150);
    } finally {
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringMatching(/removed 150 temp file/) });
    }
    expect(listTmp()).toEqual([]);
  });

  test('at a rate, the files keep coming until rollback stops the writer and removes them', async () => {
    const fault = await injectFault(tempFiles, { type: 'disk.temp-files', path: 'tmp', count: 5000, sizeBytes: 0, perSecond: 200 }, target);
    try {
      expect(fault.verified).toBe(true);
      const first = listTmp().length;
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(listTmp().length).toBeGreaterThan(first);
    } finally {
      expect((await fault.rollback()).ok).toBe(true);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(listTmp()).toEqual([]);
  });

  test('refuses a directory outside the roots', async () => {
    await expect(tempFiles.plan({ type: 'disk.temp-files', path: tmpdir(), count: 1 }, { target, stateDir: tmpdir() })).rejects.toThrow(/fault\.path: .* is outside the target's roots/);
  });
});
