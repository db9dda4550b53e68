import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TargetSignalWatch, getTargetFigures } from '../../src/measure/target-signal-watch.js';
import { epochMs, sleep } from '../../src/util/clock.js';
import { createSandbox, type Sandbox } from '../probes/helpers.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.dispose());

describe('the target’s own signals', () => {
  test('lines matching a targetSignals pattern in the target’s log are recorded when they appear', async () => {
    writeFileSync(join(sandbox.dir, 'orchestrator.log'), 'old: session missing\n');
    const watch = new TargetSignalWatch([
      { event: 'detect', path: 'orchestrator.log', matches: 'missing' },
      { event: 'repair', path: 'orchestrator.log', matches: 're-created' },
    ], sandbox.target);
    const t0 = epochMs();
    await sleep(20);
    appendFileSync(join(sandbox.dir, 'orchestrator.log'), 'session tmux-orc missing\n');
    await sleep(30);
    appendFileSync(join(sandbox.dir, 'orchestrator.log'), 'session tmux-orc re-created\nunrelated\n');
    await sleep(30);
    const signals = watch.close(t0);
    expect(signals.map((signal) => [signal.event, signal.detail])).toEqual([['detect', 'session tmux-orc missing'], ['repair', 'session tmux-orc re-created']]);
    expect(signals[0]!.offsetMs).toBeGreaterThanOrEqual(15);
    expect(signals[1]!.offsetMs).toBeGreaterThan(signals[0]!.offsetMs);
    const figures = getTargetFigures(signals, { rtoMs: 100, stabilizeMs: 100 });
    expect(figures).toEqual({ targetTtdMs: signals[0]!.offsetMs, targetRtoMs: signals[1]!.offsetMs });
  });

  test('the target’s RTO is its last repair before the stable window ended', () => {
    const signal = (event: string, offsetMs: number) => ({ t: 1000 + offsetMs, offsetMs, event });
    const signals = [signal('detect', -1), signal('repair', 40), signal('repair', 55), signal('repair', 900)];
    expect(getTargetFigures(signals, { rtoMs: 50, stabilizeMs: 100 })).toEqual({ targetTtdMs: -1, targetRtoMs: 55 });
    expect(getTargetFigures(signals, { rtoMs: null, stabilizeMs: 100 })).toEqual({ targetTtdMs: -1, targetRtoMs: 900 });
    expect(getTargetFigures([], { rtoMs: 50, stabilizeMs: 100 })).toEqual({ targetTtdMs: null, targetRtoMs: null });
  });

  test('a repair recorded while inject was still returning (before t0) counts, from the moment inject began', () => {
    const signal = (event: string, offsetMs: number) => ({ t: 1000 + offsetMs, offsetMs, event });
    const signals = [signal('detect', -8), signal('repair', -3)];
    expect(getTargetFigures(signals, { rtoMs: 0, stabilizeMs: 100, notBeforeMs: -20 })).toEqual({ targetTtdMs: -8, targetRtoMs: -3 });
    // A repair before inject began is not this fault's.
    expect(getTargetFigures(signals, { rtoMs: 0, stabilizeMs: 100, notBeforeMs: -2 })).toEqual({ targetTtdMs: -8, targetRtoMs: null });
  });
});
