import { describe, expect, test } from 'vitest';
import type { ScenarioSummary } from '../../src/analyse/summary-schema.js';
import { formatGateLines, formatRto, formatTarget, formatTtd } from '../../src/cli/terminal-figures.js';

// A scenario summary with just what the gate lines read.
function summarize(overrides: Partial<ScenarioSummary>): ScenarioSummary {
  return {
    id: 's', title: 't', file: 'f.yaml', verdict: 'fail', fault: { type: 'tmux.kill-session' }, resolutionMs: 5, steadyStateProbes: 1,
    expect: { ttdMs: 1000, rtoMs: 2000 }, fmea: null, runs: [],
    stats: { ttdMs: { p50: 50, p95: 61.7, max: 70 }, rtoMs: { p50: 2000, p95: 2391.1, max: 2400 }, recovered: 3, completed: 3 },
    checks: [
      { name: 'recovered', expected: 'every run recovers within its timeout', measured: '3/3 runs recovered', status: 'met' },
      { name: 'ttdMs', expected: 'p95 ≤ 1000 ms', measured: 'p95 61.7 ms', status: 'met' },
      { name: 'rtoMs', expected: 'p95 ≤ 2000 ms', measured: 'p95 2391.1 ms', status: 'not met' },
    ],
    ...overrides,
  } as ScenarioSummary;
}

describe('terminal figures', () => {
  test('each kind of figure has one unit: TTD in ms, RTO in s, whatever its size', () => {
    expect(formatTtd(61.74)).toBe('61.7 ms');
    expect(formatTtd(2391.1)).toBe('2391.1 ms');
    expect(formatRto(2391.1)).toBe('2.39 s');
    expect(formatRto(45)).toBe('0.045 s');
    expect(formatRto(null)).toBe('—');
    expect(formatTarget(2000, 's')).toBe('2 s');
    expect(formatTarget(1000, 'ms')).toBe('1000 ms');
  });

  test('gate lines are short and use the figure’s own unit for its target', () => {
    expect(formatGateLines(summarize({}))).toEqual([
      { met: true, text: 'recovered 3/3' },
      { met: true, text: 'TTD p95 61.7 ms ≤ target 1000 ms' },
      { met: false, text: 'RTO p95 2.39 s > target 2 s' },
    ]);
  });

  test('a run that did not recover is said so, not given an RTO', () => {
    const runs = [{ status: 'completed', rtoMs: null, ttdMs: 10, dataLoss: null }, { status: 'completed', rtoMs: 900, ttdMs: 10, dataLoss: null }] as ScenarioSummary['runs'];
    const lines = formatGateLines(summarize({ runs, stats: { ttdMs: { p50: 10, p95: 10, max: 10 }, rtoMs: { p50: 900, p95: 900, max: 900 }, recovered: 1, completed: 2 } }));
    expect(lines.at(-1)).toEqual({ met: false, text: 'RTO: 1 of 2 runs not recovered (target 2 s)' });
  });

  test('no expectations, no gate lines; untested ones say so', () => {
    expect(formatGateLines(summarize({ checks: [] }))).toEqual([]);
    const untested = summarize({ checks: [{ name: 'rtoMs', expected: 'p95 ≤ 2000 ms', measured: 'no completed run', status: 'untested' }] });
    expect(formatGateLines(untested)).toEqual([{ met: undefined, text: 'RTO: untested (no completed run)' }]);
  });
});
