import { describe, expect, test } from 'vitest';
import { measureRecovery, type MeasuredProbe } from '../../src/measure/measure-recovery.js';
import { monotonicMs, sleep } from '../../src/util/clock.js';

// A polled probe that fails from t0 until `healAt` (ms after t0), then passes.
function createHealingProbe(t0: number, healAt: number): MeasuredProbe {
  return { name: 'heals', type: 'fake', events: false, intervalMs: 5, probe: { check: async () => ({ ok: monotonicMs() - t0 >= healAt }) } };
}

describe('measureRecovery', () => {
  test('a slow verify does not date the recovery of a fault that was whole when inject returned', async () => {
    const t0 = monotonicMs();
    const figures = await measureRecovery([createHealingProbe(t0, 30)], {
      t0,
      timeoutMs: 3000,
      stabilizeMs: 50,
      signal: new AbortController().signal,
      verify: () => sleep(400),
    });
    expect(figures).toMatchObject({ detected: true, recovered: true });
    expect(figures.rtoMs!).toBeLessThan(300);
  });

  test('a fault that keeps going in after inject (a composite) is not recovered before verify resolves', async () => {
    const t0 = monotonicMs();
    const figures = await measureRecovery([createHealingProbe(t0, 30)], {
      t0,
      timeoutMs: 3000,
      stabilizeMs: 50,
      signal: new AbortController().signal,
      verify: () => sleep(400),
      inEffectPending: true,
    });
    expect(figures.rtoMs!).toBeGreaterThanOrEqual(400);
  });

  test('the windows include the inject bracket: the fault acted somewhere between inject start and return', async () => {
    const t0 = monotonicMs() - 40; // inject began 40 ms ago and returned now
    const figures = await measureRecovery([createHealingProbe(t0, 60)], { t0, injectReturnedAt: t0 + 40, timeoutMs: 3000, stabilizeMs: 50, signal: new AbortController().signal });
    expect(figures.rtoResolutionMs!).toBeGreaterThanOrEqual(40);
    expect(figures.ttdResolutionMs!).toBe(figures.ttdMs!);
  });
});
