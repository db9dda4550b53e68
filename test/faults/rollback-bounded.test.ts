// Rollback reads what the target put in place only up to a bound: a config or log the target's own uid
// (setpriv) grew into a 1 GiB sparse file while the fault was live is restored or refused with the reason,
// never read whole into memory (a 100 GB one would exhaust it).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { getFaultDefinition } from '../../src/faults/registry.js';
import type { RollbackResult } from '../../src/faults/types.js';
import { canRunHostile, createHostileInstance, type HostileInstance } from '../helpers/hostile-target.js';
import { checkFaultParams, type FaultParams } from './fault-steps.js';

const disposables: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposables.splice(0)) dispose();
});

async function startFault(fault: FaultParams): Promise<{ instance: HostileInstance; rollback: () => Promise<RollbackResult> }> {
  const instance = createHostileInstance();
  const stateDir = mkdtempSync(join(tmpdir(), 'faultline-bounded-state-'));
  disposables.push(() => instance.dispose(), () => rmSync(stateDir, { recursive: true, force: true }));
  const params = checkFaultParams(fault);
  const definition = getFaultDefinition(params.type);
  const context = { target: instance.target, stateDir };
  await definition.plan(params as never, context);
  const state = await definition.prepare(params as never, context);
  await definition.inject(params as never, context, state);
  return { instance, rollback: () => definition.rollback(params as never, context, state) };
}

// Peak memory of this process grows by what a rollback holds at once (the zeros of a file read whole).
async function measurePeakGrowth<T>(work: () => Promise<T>): Promise<{ value: T; grownMiB: number }> {
  const before = process.resourceUsage().maxRSS;
  const value = await work();
  return { value, grownMiB: (process.resourceUsage().maxRSS - before) / 1024 };
}

const SPARSE = '1G';

describe.skipIf(!canRunHostile())('rollback against a file the target grew into a huge sparse file', () => {
  test('config.corrupt: the config is restored without reading the sparse file', async () => {
    const live = await startFault({ type: 'config.corrupt', path: 'config/orchestrator.conf', mode: 'random-bytes' });
    live.instance.runAsTarget(['truncate', '-s', SPARSE, join(live.instance.dir, 'config/orchestrator.conf')]);
    const { value, grownMiB } = await measurePeakGrowth(live.rollback);
    expect(value).toMatchObject({ ok: true });
    expect(grownMiB).toBeLessThan(256);
  });

  test('disk.log-growth: a log (or rotation) larger than the bound is refused with the reason, not read', async () => {
    const live = await startFault({ type: 'disk.log-growth', path: 'logs/orchestrator.log', bytesPerSecond: 65_536, maxBytes: 4096 });
    live.instance.runAsTarget(['truncate', '-s', SPARSE, join(live.instance.dir, 'logs/orchestrator.log.1')]);
    const { value, grownMiB } = await measurePeakGrowth(live.rollback);
    expect(value).toMatchObject({ ok: false, detail: expect.stringMatching(/orchestrator\.log\.1 is \d+ bytes, more than the \d+ bytes faultline reads back/) });
    expect(grownMiB).toBeLessThan(256);
  });
});
