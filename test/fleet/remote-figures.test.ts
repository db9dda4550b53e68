// fleet/remote-figures: a host's run on the controller's timeline — epoch times shifted by the measured
// offset, every window widened by its uncertainty, durations measured on the host kept as they are.
import { describe, expect, test } from 'vitest';
import type { RunSummary } from '../../src/analyse/summary-schema.js';
import { placeRemoteEvent, placeRemoteRun } from '../../src/fleet/remote-figures.js';

const run: RunSummary = {
  index: 1, status: 'completed', recovered: true, detected: true, ttdMs: 12, rtoMs: 340, resolutionMs: 6, ttdResolutionMs: 4, rtoResolutionMs: 6,
  timeoutMs: 5_000, detectedBy: 'file.exists', t0: 1_000_500, inject: { startedAt: 1_000_500, returnedAt: 1_000_502, durationMs: 2 },
  steadyStateProbes: 1, probesFailed: 1, dataLoss: null, rollback: { ok: true, detail: 'restored' }, targetSignals: [{ t: 1_000_600, offsetMs: 100, event: 'repair' }],
};

describe('remote figures', () => {
  test('a host 500 ms ahead: its times move back 500 ms, its windows widen by the offset’s uncertainty, TTD and RTO stay', () => {
    const placed = placeRemoteRun(run, 'h2', { offsetMs: 500, uncertaintyMs: 1.5, samples: 5 });
    expect(placed).toMatchObject({ host: 'h2', clock: { offsetMs: 500, uncertaintyMs: 1.5 }, t0: 1_000_000, inject: { startedAt: 1_000_000, returnedAt: 1_000_002, durationMs: 2 } });
    expect(placed.targetSignals[0]!.t).toBe(1_000_100);
    expect([placed.resolutionMs, placed.ttdResolutionMs, placed.rtoResolutionMs]).toEqual([7.5, 5.5, 7.5]);
    expect([placed.ttdMs, placed.rtoMs]).toEqual([12, 340]);
  });

  test('a run that measured nothing keeps its nulls', () => {
    const placed = placeRemoteRun({ ...run, t0: null, inject: null, ttdResolutionMs: null, rtoResolutionMs: null }, 'h1', { offsetMs: -3, uncertaintyMs: 0.5, samples: 5 });
    expect([placed.t0, placed.inject, placed.ttdResolutionMs, placed.rtoResolutionMs]).toEqual([null, null, null, null]);
  });

  test('a host’s journal event keeps its own time as hostT', () => {
    expect(placeRemoteEvent({ t: 2_000, type: 'fault.inject' }, 'h3', { offsetMs: -20, uncertaintyMs: 1, samples: 5 })).toEqual({ host: 'h3', t: 2_020, hostT: 2_000, event: { t: 2_000, type: 'fault.inject' } });
  });
});
