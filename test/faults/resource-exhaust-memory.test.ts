// resource.exhaust-memory for real: a hog of the orchestrator's uid holds N MiB resident; rollback reaps it.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readRecordedHogs } from '../../src/faults/hogs.js';
import exhaustMemory, { MAX_MEMORY_MIB } from '../../src/faults/resource-exhaust-memory.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { startTracked, stopStarted } from '../targets/reference/helpers.js';
import { injectFault, isSameProcessAlive, readUid } from './resource-fault-helpers.js';

let target: ReferenceTarget;
beforeAll(async () => {
  target = await startTracked({ heal: false });
});
afterAll(stopStarted);

const residentMiB = (pid: number) => Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) / 1024;

describe('resource.exhaust-memory', () => {
  test('a hog of the target’s uid holds the MiB resident until rollback reaps it', async () => {
    const fault = await injectFault(exhaustMemory, { type: 'resource.exhaust-memory', mib: 96, durationMs: 30_000 }, target);
    const [hog] = readRecordedHogs(fault.context.stateDir);
    try {
      expect(fault.verified).toBe(true);
      expect(residentMiB(hog!.pid)).toBeGreaterThanOrEqual(96 * 0.9);
      expect(readUid(hog!.pid)).toBe(target.state.runAs?.uid ?? process.getuid?.());
    } finally {
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringMatching(/reaped/) });
    }
    expect(isSameProcessAlive(hog!.pid, hog!.startTime)).toBe(false);
    expect((await exhaustMemory.rollback(fault.params, fault.context, fault.state)).detail).toMatch(/already gone/);
  });

  test('refuses more than its cap before starting anything', async () => {
    await expect(exhaustMemory.plan({ type: 'resource.exhaust-memory', mib: MAX_MEMORY_MIB + 1 }, { target, stateDir: tmpdir() })).rejects.toThrow(/fault\.mib: .* over the cap/);
  });
});
