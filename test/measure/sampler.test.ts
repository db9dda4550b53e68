import { describe, expect, test } from 'vitest';
import type { Sample } from '../../src/measure/sample.js';
import { Sampler, getChangeBound, getNamedChange } from '../../src/measure/sampler.js';
import type { Trigger } from '../../src/measure/sources/trigger.js';
import type { Probe, ProbeResult } from '../../src/probes/types.js';
import { monotonicMs, sleep } from '../../src/util/clock.js';

// A probe whose state the test sets, with an event source the test fires.
function createFakeProbe(options: { delayMs?: number; result?: () => ProbeResult } = {}) {
  let ok = true;
  let fire: ((trigger: Trigger) => void) | undefined;
  let checks = 0;
  const probe: Probe = {
    async check() {
      checks += 1;
      if (options.delayMs) await sleep(options.delayMs);
      return options.result?.() ?? { ok };
    },
    watch(onTrigger) {
      fire = onTrigger;
      return () => (fire = undefined);
    },
  };
  return {
    probe,
    set: (value: boolean) => (ok = value),
    fire: (trigger: Trigger) => fire?.(trigger),
    get checks() {
      return checks;
    },
  };
}

async function collect(run: (samples: Sample[]) => Promise<void>, probes: ConstructorParameters<typeof Sampler>[0]): Promise<Sample[]> {
  const samples: Sample[] = [];
  const sampler = new Sampler(probes, (sample) => samples.push(sample));
  sampler.start();
  try {
    await run(samples);
  } finally {
    await sampler.stop();
  }
  return samples;
}

async function waitForSamples(samples: Sample[], count: number): Promise<void> {
  const deadline = monotonicMs() + 2000;
  while (samples.length < count && monotonicMs() < deadline) await sleep(1);
}

describe('Sampler', () => {
  test('an event re-checks at once, and the change window opens at the event minus its delivery bound', async () => {
    const fake = createFakeProbe();
    const samples = await collect(async (samples) => {
      await waitForSamples(samples, 1);
      fake.set(false);
      const at = monotonicMs();
      fake.fire({ at, boundMs: 1.5, source: 'test' });
      await waitForSamples(samples, 2);
      expect(samples[1]!.changedAfter).toBe(Math.max(samples[0]!.start, at - 1.5));
      expect(samples[1]!.start - at).toBeLessThan(100);
    }, [{ probe: fake.probe, intervalMs: 60_000, events: true }]);
    expect(samples[1]).toMatchObject({ ok: false, cause: 'event' });
  });

  test('without events it polls on its interval; the window opens at the previous check’s start', async () => {
    const fake = createFakeProbe();
    const samples = await collect(async (samples) => {
      await waitForSamples(samples, 1);
      fake.set(false);
      fake.fire({ at: monotonicMs(), boundMs: 0, source: 'ignored' });
      await waitForSamples(samples, 2);
    }, [{ probe: fake.probe, intervalMs: 30, events: false }]);
    expect(samples[1]).toMatchObject({ ok: false, cause: 'poll', changedAfter: samples[0]!.start });
    expect(samples[1]!.start - samples[0]!.start).toBeGreaterThanOrEqual(29);
  });

  test('a deadline the probe announced is checked at that moment, which bounds the change exactly', async () => {
    let deadline = 0;
    const fake = createFakeProbe({
      result: () => {
        const now = monotonicMs();
        if (deadline === 0) deadline = now + 40;
        return now < deadline ? { ok: true, recheckAt: deadline } : { ok: false };
      },
    });
    const samples = await collect((samples) => waitForSamples(samples, 2), [{ probe: fake.probe, intervalMs: 60_000, events: true }]);
    expect(samples[1]).toMatchObject({ ok: false, cause: 'deadline', changedAfter: deadline });
    expect(samples[1]!.start).toBeGreaterThanOrEqual(deadline);
    expect(samples[1]!.start - deadline).toBeLessThan(100);
  });

  test('an event during a check brings another check right after it', async () => {
    const fake = createFakeProbe({ delayMs: 20 });
    await collect(async (samples) => {
      await sleep(5);
      fake.fire({ at: monotonicMs(), boundMs: 0, source: 'test' });
      await waitForSamples(samples, 2);
      expect(samples[1]!.cause).toBe('event');
      expect(samples[1]!.start - samples[0]!.at).toBeLessThan(100);
    }, [{ probe: fake.probe, intervalMs: 60_000, events: true }]);
  });

  test('checkAllNow re-checks every probe at once', async () => {
    const a = createFakeProbe();
    const b = createFakeProbe();
    const sampler = new Sampler([{ probe: a.probe, intervalMs: 60_000, events: true }, { probe: b.probe, intervalMs: 60_000, events: false }], () => undefined);
    sampler.start();
    await sleep(5);
    sampler.checkAllNow();
    const deadline = monotonicMs() + 2000;
    while ((a.checks < 2 || b.checks < 2) && monotonicMs() < deadline) await sleep(1);
    await sampler.stop();
    expect([a.checks, b.checks]).toEqual([2, 2]);
  });
});

describe('Sampler with a previous sample from before it subscribed', () => {
  test('the first sample does not narrow the window with the event bound: a change before the subscription sent no event', async () => {
    const fake = createFakeProbe();
    fake.probe.getEventBound = () => 2;
    const previous: Sample = { probe: 0, ok: true, start: monotonicMs() - 100, at: monotonicMs() - 99, changedAfter: Number.NEGATIVE_INFINITY, cause: 'initial' };
    fake.set(false); // changed while nobody watched
    const samples: Sample[] = [];
    const sampler = new Sampler([{ probe: fake.probe, intervalMs: 10_000, events: true }], (sample) => samples.push(sample), [previous]);
    sampler.start();
    try {
      await waitForSamples(samples, 1);
    } finally {
      await sampler.stop();
    }
    expect(samples[0]).toMatchObject({ ok: false, changedAfter: previous.start });
  });
});

describe('getChangeBound', () => {
  const previous: Sample = { probe: 0, ok: true, start: 100, at: 101, changedAfter: 0, cause: 'poll' };
  const at200 = { start: 200, watching: true };
  test('uses the previous check’s start without an event, and the first event minus its bound with one', () => {
    expect(getChangeBound(previous, at200)).toBe(100);
    expect(getChangeBound(previous, { ...at200, trigger: { at: 150, boundMs: 2, source: 't' } })).toBe(148);
    expect(getChangeBound(previous, { ...at200, trigger: { at: 100.5, boundMs: 2, source: 't' } })).toBe(100);
  });
  test('with a source that announces every change and no event yet, the change is at most its bound older than this check', () => {
    expect(getChangeBound(previous, { ...at200, eventBound: 1.5 })).toBe(198.5);
    expect(getChangeBound(previous, { ...at200, eventBound: 1.5, trigger: { at: 150, boundMs: 2, source: 't' } })).toBe(148);
    expect(getChangeBound(previous, { ...at200, eventBound: null })).toBe(100);
    expect(getChangeBound(previous, { start: 200, eventBound: 1.5, watching: false })).toBe(100);
  });
  test('ignores untimed triggers and unwatched deadlines; no previous check leaves it open', () => {
    expect(getChangeBound(previous, { ...at200, trigger: { at: null, boundMs: 0, source: 't' } })).toBe(100);
    expect(getChangeBound(previous, { start: 200, deadline: 180, watching: false })).toBe(100);
    expect(getChangeBound(previous, { ...at200, deadline: 180 })).toBe(180);
    expect(getChangeBound(undefined, { ...at200, eventBound: 1 })).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe('getNamedChange', () => {
  const previous: Sample = { probe: 0, ok: true, start: 100, at: 101, changedAfter: 0, cause: 'poll' };
  test('a notification that names the change pins both ends, when the state flipped after the previous check began', () => {
    expect(getNamedChange(previous, { ok: false, changedWithin: { after: 148, before: 150 } }, 160)).toEqual({ after: 148, before: 150 });
    expect(getNamedChange(previous, { ok: false, changedWithin: { after: 99, before: 100.5 } }, 160)).toEqual({ after: 100, before: 100.5 });
  });
  test('is ignored without a flip, for an event before the previous check, and without a previous check', () => {
    expect(getNamedChange(previous, { ok: true, changedWithin: { after: 148, before: 150 } }, 160)).toBeUndefined();
    expect(getNamedChange(previous, { ok: false, changedWithin: { after: 90, before: 95 } }, 160)).toBeUndefined();
    expect(getNamedChange(undefined, { ok: false, changedWithin: { after: 148, before: 150 } }, 160)).toBeUndefined();
  });
});
