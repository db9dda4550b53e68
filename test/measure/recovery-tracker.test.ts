import { describe, expect, test } from 'vitest';
import { RecoveryTracker } from '../../src/measure/recovery-tracker.js';
import { summarizeFigures } from '../../src/measure/stats.js';

const sample = (probe: number, ok: boolean, at: number) => ({ probe, ok, start: at - 1, at });

describe('RecoveryTracker', () => {
  test('detection is the first failure after t0 and recovery the start of the stable all-pass window', () => {
    const tracker = new RecoveryTracker(2, 100, 50);
    tracker.add(sample(0, true, 101));
    tracker.add(sample(1, false, 110));
    tracker.add(sample(0, false, 120));
    tracker.add(sample(1, true, 130));
    expect(tracker.add(sample(0, true, 140))).toBe(false);
    expect(tracker.add(sample(1, true, 189))).toBe(false);
    expect(tracker.add(sample(0, true, 190))).toBe(true);
    expect(tracker.state).toEqual({ detectedAt: 110, detectedBy: 1, recoveredAt: 140 });
  });

  test('a failure inside the stabilisation window restarts it', () => {
    const tracker = new RecoveryTracker(1, 0, 100);
    tracker.add(sample(0, false, 10));
    tracker.add(sample(0, true, 20));
    tracker.add(sample(0, false, 90));
    tracker.add(sample(0, true, 150));
    expect(tracker.add(sample(0, true, 200))).toBe(false);
    expect(tracker.add(sample(0, true, 250))).toBe(true);
    expect(tracker.state.recoveredAt).toBe(150);
  });

  test('samples started before t0 are ignored', () => {
    const tracker = new RecoveryTracker(1, 100, 10);
    tracker.add({ probe: 0, ok: false, start: 99, at: 105 });
    expect(tracker.state.detectedAt).toBeNull();
  });

  test('a probe that has not reported yet keeps the system from counting as recovered', () => {
    const tracker = new RecoveryTracker(2, 0, 0);
    expect(tracker.add(sample(0, true, 10))).toBe(false);
    expect(tracker.add(sample(1, true, 12))).toBe(true);
    expect(tracker.state.recoveredAt).toBe(12);
  });
});

describe('summarizeFigures', () => {
  test('gives nearest-rank p50, p95 and max and skips nulls', () => {
    const values = Array.from({ length: 20 }, (_, i) => i + 1);
    expect(summarizeFigures([...values, null])).toEqual({ p50: 10, p95: 19, max: 20 });
    expect(summarizeFigures([null, undefined])).toBeNull();
  });
});
