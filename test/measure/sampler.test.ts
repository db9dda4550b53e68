import { describe, expect, test } from 'vitest';
import type { Sample } from '../../src/measure/sample.js';
import { Sampler, getChangeBound, getNamedChange } from '../../src/measure/sampler.js';
import { DeliveryCoverage } from '../../src/measure/sources/coverage.js';
import { createUntimedTrigger, type Trigger } from '../../src/measure/sources/trigger.js';
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
    fake.probe.getEventBound = () => 1; // the source announces every change, within 1 ms
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

  test('an event narrows nothing for a probe whose source does not announce every change (a pane dying)', async () => {
    const fake = createFakeProbe();
    const samples = await collect(async (samples) => {
      await waitForSamples(samples, 1);
      fake.set(false);
      await sleep(20);
      fake.fire({ at: monotonicMs(), boundMs: 1.5, source: 'some other window' });
      await waitForSamples(samples, 2);
    }, [{ probe: fake.probe, intervalMs: 60_000, events: true }]);
    expect(samples[1]).toMatchObject({ ok: false, cause: 'event', changedAfter: samples[0]!.start });
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
    // Its source announces every other change (within 50 ms, more than this check can be late).
    fake.probe.getEventBound = () => 50;
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

describe('Sampler with a source that stops delivering', () => {
  // Finding: the only session of a tmux server was killed and re-created by a hook 200 ms later; no
  // control client could attach meanwhile. The check after re-attaching reported the window
  // 511.4–515.0 ms, the truth was 207.9 ms: it had narrowed the window with the event bound of a
  // client attached for a few milliseconds only.
  test('a change made while the source was detached keeps the window open back to the previous check', async () => {
    const fake = createFakeProbe();
    const coverage = new DeliveryCoverage();
    let detach = coverage.begin();
    fake.probe.getEventBound = (from, to) => (coverage.covers(from, to) ? 2 : null);
    const samples = await collect(async (samples) => {
      await waitForSamples(samples, 1);
      detach(); // the client's session is killed: nothing is announced from here on
      fake.set(false);
      fake.fire({ at: monotonicMs(), boundMs: 2, source: 'tmux.exit' });
      await waitForSamples(samples, 2);
      await sleep(30);
      fake.set(true); // re-created while no client could attach: no event
      await sleep(30);
      detach = coverage.begin(); // re-attached
      fake.fire(createUntimedTrigger('tmux.reconnect'));
      await waitForSamples(samples, 3);
    }, [{ probe: fake.probe, intervalMs: 60_000, events: true }]);
    detach();
    expect(samples.map((sample) => sample.ok)).toEqual([true, false, true]);
    expect(samples[2]!.changedAfter).toBe(samples[1]!.start);
  });

  test('a change seen while the source delivers all along is narrowed to its bound', async () => {
    const fake = createFakeProbe();
    const coverage = new DeliveryCoverage();
    const detach = coverage.begin();
    fake.probe.getEventBound = (from, to) => (coverage.covers(from, to) ? 2 : null);
    const samples = await collect(async (samples) => {
      await waitForSamples(samples, 1);
      await sleep(20);
      fake.set(false);
      fake.fire(createUntimedTrigger('test'));
      await waitForSamples(samples, 2);
    }, [{ probe: fake.probe, intervalMs: 60_000, events: true }]);
    detach();
    expect(samples[1]!.changedAfter).toBe(samples[1]!.start - 2);
  });
});

describe('getChangeBound', () => {
  const previous: Sample = { probe: 0, ok: true, start: 100, at: 101, changedAfter: 0, cause: 'poll' };
  // A source that delivered without a break from `since` until `until`, with this delivery bound.
  const deliveredBetween = (since: number, until: number, bound = 1.5) => (to: number) => (since <= previous.start && to <= until ? bound : null);
  const always = deliveredBetween(0, Number.POSITIVE_INFINITY);
  const at200 = { start: 200, coverage: always };
  test('uses the previous check’s start without an event, and the first event minus its bound with one', () => {
    expect(getChangeBound(previous, { start: 200 })).toBe(100);
    expect(getChangeBound(previous, { ...at200, trigger: { at: 150, boundMs: 2, source: 't' } })).toBe(148);
    expect(getChangeBound(previous, { ...at200, trigger: { at: 100.5, boundMs: 2, source: 't' } })).toBe(100);
  });
  test('with a source that announces every change and no event yet, the change is at most its bound older than this check', () => {
    expect(getChangeBound(previous, at200)).toBe(198.5);
    expect(getChangeBound(previous, { ...at200, trigger: { at: 150, boundMs: 2, source: 't' } })).toBe(148);
    expect(getChangeBound(previous, { start: 200, coverage: () => null })).toBe(100);
    expect(getChangeBound(previous, { start: 200, coverage: undefined })).toBe(100);
  });
  test('ignores untimed triggers and uncovered deadlines; no previous check leaves it open', () => {
    expect(getChangeBound(previous, { ...at200, trigger: { at: null, boundMs: 0, source: 't' } })).toBe(198.5);
    expect(getChangeBound(previous, { start: 200, deadline: 180 })).toBe(100);
    expect(getChangeBound(previous, { ...at200, deadline: 180 })).toBe(198.5);
    expect(getChangeBound(previous, { ...at200, deadline: 199 })).toBe(199);
    expect(getChangeBound(undefined, at200)).toBe(Number.NEGATIVE_INFINITY);
  });
  // Finding: a tmux server whose only session was killed; no control client could attach until the
  // hook re-created it 200 ms later. The check after re-attaching must not narrow the window with the
  // event bound: the re-creation happened while nothing was delivering.
  test('a source that was not delivering for part of the time narrows nothing: not with its bound, not with an event', () => {
    // Delivering until 160 (the client's session was killed), and again from 180 (re-attached).
    const spans = [{ from: 0, to: 160 }, { from: 180, to: Number.POSITIVE_INFINITY }];
    const coverage = (to: number) => (spans.some((span) => span.from <= previous.start && span.to >= to) ? 1.5 : null);
    expect(getChangeBound(previous, { start: 200, coverage })).toBe(100);
    expect(getChangeBound(previous, { start: 200, coverage, trigger: { at: 190, boundMs: 2, source: 't' } })).toBe(100);
    expect(getChangeBound(previous, { start: 200, coverage, trigger: { at: 170, boundMs: 2, source: 't' } })).toBe(100);
    // An event while it still delivered narrows: every earlier change would have come before it.
    expect(getChangeBound(previous, { start: 200, coverage, trigger: { at: 150, boundMs: 2, source: 't' } })).toBe(148);
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
