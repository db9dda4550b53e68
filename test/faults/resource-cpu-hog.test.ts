// resource.cpu-hog for real: busy processes of the orchestrator's uid burn CPU until rollback reaps them.
import { availableParallelism, tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readRecordedHogs } from '../../src/faults/hogs.js';
import cpuHog from '../../src/faults/resource-cpu-hog.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { startTracked, stopStarted } from '../targets/reference/helpers.js';
import { injectFault, isSameProcessAlive, readUid } from './resource-fault-helpers.js';

let target: ReferenceTarget;
beforeAll(async () => {
  target = await startTracked({ heal: false });
});
afterAll(stopStarted);

describe('resource.cpu-hog', () => {
  test('one busy process of the target’s uid piles up CPU time until rollback reaps it', async () => {
    const fault = await injectFault(cpuHog, { type: 'resource.cpu-hog', cores: 1, durationMs: 20_000 }, target);
    const hogs = readRecordedHogs(fault.context.stateDir);
    try {
      expect(fault.verified).toBe(true);
      expect(hogs).toHaveLength(1);
      expect(readUid(hogs[0]!.pid)).toBe(target.state.runAs?.uid ?? process.getuid?.());
    } finally {
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: 'no CPU hog left (1 reaped)' });
    }
    expect(hogs.filter((hog) => isSameProcessAlive(hog.pid, hog.startTime))).toEqual([]);
  });

  test('refuses more cores than the host has, naming fault.cores', async () => {
    await expect(cpuHog.plan({ type: 'resource.cpu-hog', cores: availableParallelism() + 1 }, { target, stateDir: tmpdir() })).rejects.toThrow(/fault\.cores: \d+ is more than this host's \d+ cores/);
  });
});
