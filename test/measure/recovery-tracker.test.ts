import { describe, expect, test } from 'vitest';
import { RecoveryTracker } from '../../src/measure/recovery-tracker.js';
import type { Sample } from '../../src/measure/sample.js';
import { summarizeFigures } from '../../src/measure/stats.js';

// A sample read in [at − 1, at]; any change it saw happened after `after` (default: its own start − 9).
const sample = (probe: number, ok: boolean, at: number, after = at - 10): Sample => ({ probe, ok, start: at - 1, at, changedAfter: after, cause: 'poll' });

describe('RecoveryTracker', () => {
  test('detection is the first failure after t0; recovery the moment every probe passes again, once stable', () => {
    const tracker = new RecoveryTracker(2, 100, 50);
    tracker.add(sample(0, true, 101));
    tracker.add(sample(1, false, 110));
    tracker.add(sample(0, false, 120));
    tracker.add(sample(1, true, 130));
    expect(tracker.add(sample(0, true, 140))).toBe(false);
    expect(tracker.stableDueAt).toBe(190);
    expect(tracker.add(sample(1, true, 189))).toBe(false);
    // Stable only once every probe was seen passing at or after the end of the window.
    expect(tracker.add(sample(0, true, 192))).toBe(false);
    expect(tracker.add(sample(1, true, 193))).toBe(true);
    expect(tracker.state).toEqual({ detectedAt: 110, detectedAfter: 100, detectedBy: 1, recoveredAt: 140, recoveredAfter: 130 });
  });

  test('the recovery window is the latest of the probes’ own pass-again windows', () => {
    const tracker = new RecoveryTracker(2, 0, 0);
    tracker.add(sample(0, false, 10));
    tracker.add(sample(1, false, 12));
    tracker.add(sample(0, true, 50, 45));
    expect(tracker.add(sample(1, true, 60, 20))).toBe(false);
    tracker.add(sample(0, true, 62));
    expect(tracker.add(sample(1, true, 62))).toBe(true);
    // Probe 1 turned at some time in [20, 60], probe 0 in [45, 50]: both pass from [45, 60].
    expect(tracker.state).toMatchObject({ recoveredAt: 60, recoveredAfter: 45 });
  });

  test('a change an event names counts at that event, and one before t0 counts at t0', () => {
    const tracker = new RecoveryTracker(1, 100, 0);
    tracker.add({ probe: 0, ok: false, start: 101, at: 104, changedAfter: 95, changedBefore: 98, cause: 'initial' });
    expect(tracker.state).toMatchObject({ detectedAt: 100, detectedAfter: 100 });
    tracker.add({ probe: 0, ok: true, start: 150, at: 152, changedAfter: 148.5, changedBefore: 149.5, cause: 'event' });
    expect(tracker.add({ probe: 0, ok: true, start: 160, at: 161, changedAfter: 150, cause: 'poll' })).toBe(true);
    expect(tracker.state).toMatchObject({ recoveredAt: 149.5, recoveredAfter: 148.5 });
  });

  test('a failure inside the stabilisation window restarts it', () => {
    const tracker = new RecoveryTracker(1, 0, 100);
    tracker.add(sample(0, false, 10));
    tracker.add(sample(0, true, 20));
    tracker.add(sample(0, false, 90));
    tracker.add(sample(0, true, 150));
    expect(tracker.add(sample(0, true, 200))).toBe(false);
    expect(tracker.add(sample(0, true, 252))).toBe(true);
    expect(tracker.state.recoveredAt).toBe(150);
  });

  test('samples started before t0 are ignored, and no window reaches back before t0', () => {
    const tracker = new RecoveryTracker(1, 100, 10);
    tracker.add({ probe: 0, ok: false, start: 99, at: 105, changedAfter: 0, cause: 'poll' });
    expect(tracker.state.detectedAt).toBeNull();
    tracker.add({ probe: 0, ok: false, start: 101, at: 103, changedAfter: Number.NEGATIVE_INFINITY, cause: 'initial' });
    expect(tracker.state).toMatchObject({ detectedAt: 103, detectedAfter: 100 });
  });

  test('while the fault is still going in (a composite between steps) recovery waits; a later step that breaks the target restarts the streak', () => {
    const tracker = new RecoveryTracker(1, 0, 50, { inEffectPending: true });
    tracker.add(sample(0, false, 10));
    tracker.add(sample(0, true, 40));
    expect(tracker.stableDueAt).toBeNull();
    // Stable for far longer than stabilizeMs, but step 2 has not acted yet: not recovered.
    expect(tracker.add(sample(0, true, 200))).toBe(false);
    tracker.add(sample(0, false, 310)); // step 2 at 300 breaks it again
    tracker.markInEffect(305);
    tracker.add(sample(0, true, 400));
    expect(tracker.stableDueAt).toBe(450);
    expect(tracker.add(sample(0, true, 452))).toBe(true);
    expect(tracker.state).toMatchObject({ detectedAt: 10, recoveredAt: 400 });
  });

  test('a streak that began before the fault was fully in effect is confirmed stabilizeMs after that moment, and dated no earlier', () => {
    const tracker = new RecoveryTracker(1, 0, 50, { inEffectPending: true });
    tracker.add(sample(0, false, 10));
    tracker.add(sample(0, true, 40));
    tracker.markInEffect(300);
    expect(tracker.stableDueAt).toBe(350);
    expect(tracker.add(sample(0, true, 320))).toBe(false);
    expect(tracker.add(sample(0, true, 352))).toBe(true);
    // Every probe passed from 40; the last step was in place by 300: recovered at 300, within [40, 300].
    expect(tracker.state).toMatchObject({ recoveredAt: 300, recoveredAfter: 40 });
  });

  test('a probe that has not reported yet keeps the system from counting as recovered', () => {
    const tracker = new RecoveryTracker(2, 0, 0);
    expect(tracker.add(sample(0, true, 10))).toBe(false);
    expect(tracker.add(sample(1, true, 12))).toBe(false);
    expect(tracker.checkStable()).toBe(false);
    expect(tracker.add(sample(0, true, 14))).toBe(false);
    expect(tracker.add(sample(1, true, 14))).toBe(true);
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
