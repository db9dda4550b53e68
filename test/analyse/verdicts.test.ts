// Scenario verdicts: a run that does not recover is never a pass; a documented gap is a known gap.
import { parse, type TestSuites } from 'junit2json';
import { describe, expect, test } from 'vitest';
import { evaluateExpectations, getScenarioVerdict } from '../../src/analyse/gate.js';
import { getScenarioReasons } from '../../src/analyse/scenario-reasons.js';
import type { RunSummary, Summary } from '../../src/analyse/summary-schema.js';
import { countVerdicts, formatVerdictBanner, formatVerdictCounts } from '../../src/analyse/verdict-counts.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { getRunVerdict } from '../../src/run/verdict.js';
import type { Expect } from '../../src/scenario/types.js';

const run = (index: number, recovered: boolean, extra: Partial<RunSummary> = {}): RunSummary => ({
  index, status: 'completed', recovered, detected: true, ttdMs: 5, rtoMs: recovered ? 300 : null, resolutionMs: 2, timeoutMs: 5000,
  detectedBy: 'probe', t0: 1, steadyStateProbes: 1, probesFailed: 1, dataLoss: null, rollback: { ok: true, detail: 'restored' }, targetSignals: [], ...extra,
});

function judge(expect: Expect, runs: RunSummary[]) {
  const checks = evaluateExpectations(expect, runs, { ttdMs: { p50: 5, p95: 5, max: 5 }, rtoMs: null });
  const verdict = getScenarioVerdict(runs, checks, expect);
  return { verdict, reasons: getScenarioReasons(verdict, runs, checks, expect) };
}

describe('scenario verdicts', () => {
  test('expect.recovered false and not recovered is a known gap, with its reason', () => {
    expect(judge({ recovered: false, ttdMs: 1000 }, [run(1, false)])).toEqual({
      verdict: 'known-gap', reasons: ['known gap: 1 of 1 run did not recover, as the scenario documents (expect.recovered: false)'],
    });
  });

  test('a known gap whose other expectation fails is a failure', () => {
    expect(judge({ recovered: false, ttdMs: 1 }, [run(1, false)]).verdict).toBe('fail');
  });

  test('a documented gap that recovered passes and says the scenario is out of date', () => {
    const judged = judge({ recovered: false }, [run(1, true)]);
    expect(judged.verdict).toBe('pass');
    expect(judged.reasons[0]).toMatch(/documented gap did not show/);
  });

  test('an unproven recovery fails with the run’s reason', () => {
    const judged = judge({}, [run(1, false, { reason: 'recovery is unproven (are the probes blind to this fault?)' })]);
    expect(judged.verdict).toBe('fail');
    expect(judged.reasons).toContain('run 1: recovery is unproven (are the probes blind to this fault?)');
  });

  test('every run skipped is skipped; aborted and error outrank it', () => {
    const skipped = run(1, false, { status: 'skipped', reason: 'target left broken by x run 1', t0: null });
    expect(judge({}, [skipped, { ...skipped, index: 2 }])).toEqual({ verdict: 'skipped', reasons: ['runs 1–2: target left broken by x run 1'] });
    expect(judge({}, [skipped, run(2, false, { status: 'aborted', reason: 'interrupted' })]).verdict).toBe('aborted');
  });
});

describe('run verdict and counts', () => {
  const scenarios = (verdicts: string[]) => verdicts.map((verdict) => ({ verdict, runs: [] })) as never;

  test('known gaps do not fail the gate; skipped scenarios do (their claims went untested)', () => {
    expect(getRunVerdict(scenarios(['pass', 'known-gap']), { gate: true, interrupted: false })).toEqual({ verdict: 'pass', exitCode: 0 });
    expect(getRunVerdict(scenarios(['known-gap', 'skipped']), { gate: true, interrupted: false })).toEqual({ verdict: 'fail', exitCode: 1 });
    expect(getRunVerdict(scenarios(['fail', 'skipped']), { gate: true, interrupted: false })).toEqual({ verdict: 'fail', exitCode: 1 });
  });

  test('the banner counts each verdict and never calls a known gap passed', () => {
    const counts = countVerdicts(scenarios([...Array(16).fill('pass'), 'known-gap', 'known-gap', 'known-gap']));
    expect(counts).toEqual({ scenarios: 19, passed: 16, failed: 0, knownGaps: 3, skipped: 0, aborted: 0, errors: 0 });
    expect(formatVerdictCounts(counts)).toBe('16 passed · 3 known gaps');
    expect(formatVerdictBanner({ verdict: 'pass', scenarios: [], counts })).toBe('PASS · 16 passed · 3 known gaps');
    expect(formatVerdictCounts(countVerdicts(scenarios(['fail', 'known-gap', 'skipped', 'aborted', 'error', 'error'])))).toBe('0 passed · 1 failed · 1 known gap · 1 skipped · 1 aborted · 2 errors');
  });
});

describe('known gaps in summary.md and junit.xml', () => {
  const summary = {
    schemaVersion: 1, runId: 'r1', verdict: 'pass', exitCode: 0, startedAt: '2026-12-01T00:00:00.000Z', finishedAt: '2026-12-01T00:01:00.000Z', durationMs: 60000,
    options: { heal: true, gate: true }, environment: { faultline: '0.1.0', node: 'v20', host: 'h', platform: 'linux x64' }, targets: [],
    counts: { scenarios: 2, passed: 1, failed: 0, knownGaps: 1, skipped: 0, aborted: 0, errors: 0 },
    scenarios: [
      { id: 'ok', title: 'Recovers', verdict: 'pass', reasons: [], runs: [run(1, true)] },
      { id: 'gap', title: 'Never recovers', verdict: 'known-gap', reasons: ['known gap: 1 of 1 run did not recover, as the scenario documents (expect.recovered: false)'], runs: [run(1, false)] },
    ].map((scenario) => ({ file: 'x.yaml', fault: { type: 'file.chmod' }, resolutionMs: 2, steadyStateProbes: 1, expect: {}, checks: [], fmea: null,
      stats: { ttdMs: null, rtoMs: null, recovered: scenario.verdict === 'pass' ? 1 : 0, completed: 1 }, ...scenario })),
  } as unknown as Summary;

  test('summary.md: the banner counts the gap and no ✅ stands beside it', () => {
    const markdown = renderMarkdown(summary);
    expect(markdown).toContain('faultline: PASS · 1 passed · 1 known gap');
    expect(markdown.split('\n')[0]).not.toContain('✅');
    const gapRow = markdown.split('\n').find((line) => line.includes('(gap)'))!;
    expect(gapRow).toContain('known-gap');
    expect(gapRow).not.toContain('✅');
    expect(markdown).toContain('as the scenario documents');
  });

  test('junit.xml: a known gap is a skipped testcase with its reason, never a bare pass', async () => {
    const parsed = (await parse(renderJunit(summary))) as TestSuites;
    const suite = parsed.testsuite![0]!;
    expect(suite).toMatchObject({ tests: 2, failures: 0, errors: 0, skipped: 1 });
    const gap = suite.testcase!.find((testcase) => testcase.name!.startsWith('gap'))!;
    expect(gap.skipped![0]!.message).toBe('known gap: 1 of 1 run did not recover, as the scenario documents (expect.recovered: false)');
    expect(suite.testcase!.find((testcase) => testcase.name!.startsWith('ok'))!.skipped).toBeUndefined();
  });
});
