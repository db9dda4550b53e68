// The resilience score: severity-weighted share of failure modes meeting their recovery target, older
// results decaying, configurations never pooled; and it appears in the report with its formula and inputs.
import { describe, expect, test } from 'vitest';
import type { Summary } from '../../src/analyse/summary-schema.js';
import { computeResilienceScore, SCORE_HALF_LIFE_DAYS } from '../../src/report/view/resilience-score.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { gatherReportInput } from '../../src/report/gather-input.js';

const NOW = new Date('2026-12-02T00:00:00Z');
const DAY = 86_400_000;

// A run of two scenarios: `severe` (S 9) and `mild` (S 3); each repetition recovers in `rto` ms (null = not recovered).
function createRun(runId: string, daysAgo: number, rtos: { severe: (number | null)[]; mild: (number | null)[] }, configuration = 'reference orchestrator, healer on'): Summary {
  const scenario = (id: 'severe' | 'mild', severity: number) => ({
    id, title: id, file: `${id}.yaml`, verdict: 'pass', reasons: [], configuration, fault: { type: 'x' }, resolutionMs: 1, steadyStateProbes: 1,
    expect: { rtoMs: 1000 }, checks: [],
    fmea: { id: id.toUpperCase(), component: 'c', failureMode: `${id} failure`, effect: 'e', cause: 'c', severity, occurrence: 5, detection: 5, rpn: severity * 25, ap: 'M' },
    runs: rtos[id].map((rto, index) => ({ index: index + 1, status: 'completed', recovered: rto !== null, detected: true, ttdMs: 1, rtoMs: rto, resolutionMs: 1, timeoutMs: 5000, detectedBy: 'p', t0: 0, steadyStateProbes: 1, probesFailed: 1, dataLoss: null, rollback: { ok: true, detail: '' }, targetSignals: [] })),
    stats: { ttdMs: null, rtoMs: null, recovered: rtos[id].filter((rto) => rto !== null).length, completed: rtos[id].length },
  });
  return {
    schemaVersion: 1, runId, verdict: 'pass', exitCode: 0, startedAt: new Date(NOW.getTime() - daysAgo * DAY).toISOString(), finishedAt: NOW.toISOString(), durationMs: 1,
    options: { heal: true, gate: false }, environment: { faultline: '0.1.0', node: 'v20', host: 'h', platform: 'linux' }, targets: [],
    counts: { scenarios: 2, passed: 2, failed: 0, knownGaps: 0, skipped: 0, aborted: 0, errors: 0 },
    scenarios: [scenario('severe', 9), scenario('mild', 3)],
  } as unknown as Summary;
}

describe('resilience score', () => {
  test('is the severity-weighted share of runs that met the recovery target', () => {
    // severe: 1 of 2 runs met (one too slow); mild: 2 of 2 met. Same day: no decay difference.
    const run = createRun('a', 0, { severe: [200, 1500], mild: [100, 100] });
    const result = computeResilienceScore(run, [run], NOW);
    expect(result.inputs.map((input) => [input.scenario, input.met, input.runs, input.share])).toEqual([['severe', 1, 2, 0.5], ['mild', 2, 2, 1]]);
    expect(result.score).toBe(Math.round(1000 * (9 * 0.5 + 3 * 1) / 12) / 10); // 62.5
    expect(result.formula).toContain('Σ S_i · m_i / Σ S_i');
  });

  test('older results decay with the stated half-life, and another configuration is never pooled in', () => {
    const old = createRun('old', SCORE_HALF_LIFE_DAYS, { severe: [null], mild: [null] });
    const now = createRun('now', 0, { severe: [100], mild: [100] });
    const other = createRun('other', 0, { severe: [null, null, null], mild: [null] }, 'reference orchestrator, healer off');
    const result = computeResilienceScore(now, [old, other, now], NOW);
    // w(old) = 0.5, w(now) = 1: m = 1 / 1.5 for each failure mode; the healer-off runs do not count.
    expect(result.inputs.every((input) => input.runs === 2 && input.share === Math.round(1000 / 1.5) / 1000)).toBe(true);
    expect(result.score).toBeCloseTo(66.7, 1);
  });

  test('the report shows the score, its formula and each input', async () => {
    const earlier = createRun('earlier', 2, { severe: [null], mild: [100] });
    const now = createRun('now', 0, { severe: [100], mild: [100] });
    const html = await renderHtmlReport(gatherReportInput(now, { history: [earlier, now], worksheets: [], claims: [], now: NOW }));
    const score = computeResilienceScore(now, [earlier, now], NOW).score;
    expect(html).toContain(`Resilience score: ${score} / 100`);
    expect(html).toContain('0.5^(age_r / 30 days)');
    expect(html).toMatch(/severe failure<\/td>.*?1\/2/s);
    // The trend table: each scenario's recovery rate and RTO across earlier runs.
    expect(html).toContain('Each scenario against its earlier runs');
    expect(html).toMatch(/<code>severe<\/code><\/td><td>reference orchestrator, healer on<\/td><td class="num">1<\/td><td class="num">0\/1 \(0 %\)<\/td>/);
  });
});
