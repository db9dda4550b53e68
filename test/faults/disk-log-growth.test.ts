// disk.log-growth for real: orchestrator.log grows at a rate (and follows a rotation); rollback removes
// the fault's lines from the log and its rotations and keeps every line the orchestrator wrote.
import { existsSync, readFileSync, renameSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import logGrowth from '../../src/faults/disk-log-growth.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { startTracked, stopStarted, waitFor } from '../targets/reference/helpers.js';
import { injectFault } from './resource-fault-helpers.js';

let target: ReferenceTarget;
beforeAll(async () => {
  target = await startTracked({ heal: false, checkinIntervalMs: 50 });
});
afterAll(stopStarted);

const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
const ownLines = (text: string) => text.split('\n').filter((line) => line && !line.includes('faultline disk.log-growth'));

describe('disk.log-growth', () => {
  test('grows the log at the rate, follows a rotation, and rollback leaves exactly the orchestrator’s own lines', async () => {
    const log = join(target.dir, 'logs', 'orchestrator.log');
    const sizeBefore = statSync(log).size;
    const fault = await injectFault(logGrowth, { type: 'disk.log-growth', path: 'logs/orchestrator.log', bytesPerSecond: 4 * 1024 * 1024, durationMs: 600 }, target);
    let own: string[];
    try {
      expect(fault.verified).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 250));
      renameSync(log, `${log}.1`); // rotated mid-growth, as the healer does
      await waitFor('growth into the new log', () => existsSync(log) && read(log).includes('faultline disk.log-growth'));
      await new Promise((resolve) => setTimeout(resolve, 450));
      const grown = statSync(log).size + statSync(`${log}.1`).size - sizeBefore;
      expect(grown).toBeGreaterThan(1.5 * 1024 * 1024);
      expect(grown).toBeLessThan(4 * 1024 * 1024);
      own = [...ownLines(read(`${log}.1`)), ...ownLines(read(log))];
      expect(own.some((line) => line.includes('scheduler: sent'))).toBe(true);
    } finally {
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringMatching(/removed .* of marked lines/) });
    }
    const after = [...read(`${log}.1`).split('\n'), ...read(log).split('\n')].filter(Boolean);
    expect(after.some((line) => line.includes('faultline disk.log-growth'))).toBe(false);
    for (const line of own) expect(after).toContain(line);
    expect(after.some((line) => /orchestrator started/.test(line))).toBe(true); // the scheduler may log before it
  });

  test('refuses a log outside the roots', async () => {
    await expect(logGrowth.plan({ type: 'disk.log-growth', path: join(tmpdir(), 'x.log'), bytesPerSecond: 1024 }, { target, stateDir: tmpdir() })).rejects.toThrow(/fault\.path: .* is outside the target's roots/);
  });
});
