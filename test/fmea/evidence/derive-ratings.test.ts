import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { deriveRatings, getScenarioHistory, readEvidence, readEvidenceReport, resolveFmeaConfig, DEFAULT_FMEA_CONFIG } from '../../../src/fmea/index.js';
import { getWilsonInterval } from '../../../src/fmea/evidence/derive-occurrence.js';
import { groupHistory } from '../../../src/fmea/evidence/scenario-history.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const reports = readEvidence([fixture('run-newer'), fixture('run-older/summary.json')]);
const now = new Date('2026-11-22T00:00:00Z');

describe('readEvidence', () => {
  it('reads run directories and summary files, keeping what it finds and null for the rest', () => {
    expect(reports.map((report) => [report.runId, report.startedAt, report.scenarios.length])).toEqual([
      ['2026-11-20T10-00-00-fixture', '2026-11-20T10:00:00.000Z', 4],
      ['2026-10-01T09-00-00-fixture', '2026-10-01T09:00:00.000Z', 1],
    ]);
    const older = reports[1]!.scenarios[0]!;
    expect(older.runs[0]).toEqual({ index: 1, completed: true, recovered: false, detected: true, ttdMs: 80, rtoMs: null, probesFailed: 3, steadyStateProbes: 3, lost: null, targetDetectedMs: null });
    expect(reports[0]!.scenarios[0]!.runs[0]!.targetDetectedMs).toBe(30.5);
    expect(older.configuration).toBe('reference orchestrator, healer on');
    expect(older.stats.ttdMs).toEqual({ p50: 80, p95: 95, max: 95 });
  });

  it('names a directory without summary.json and a summary that is not JSON', () => {
    expect(() => readEvidenceReport(fixture('.'))).toThrow(/no summary\.json here/);
    expect(() => readEvidenceReport(fixture('worksheet.yaml'))).toThrow(/worksheet\.yaml:1 invalid JSON/);
  });
});

describe('deriveRatings', () => {
  it('derives D from the target’s own detection time against the budget, keeps the probes’ TTD as the test’s, and S from the share of probes failed', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection).toMatchObject({
      rating: 2, rule: 'detection.ttd-vs-budget',
      evidence: { runIds: ['2026-11-20T10-00-00-fixture'], runs: 3, detectedRuns: 3, ttdP95Ms: 55, testTtdP95Ms: 61.7, budgetMs: 1000, budgetFrom: 'expect.ttdMs', ratio: 0.055 },
      stale: false,
    });
    expect(derived.detection!.reason).toBe('D 2: the target’s own controls detected it at p95 55 ms, 0.06 × the 1000 ms budget (expect.ttdMs), in 3 of 3 runs. faultline’s probes (the test’s detection, not a control) saw it at p95 61.7 ms.');
    expect(derived.severity).toMatchObject({ rating: 6, rule: 'severity.probe-share', evidence: { maxProbeShare: 2 / 3, lost: 0, notRecoveredRuns: 0 } });
    expect(derived.severity!.reason).toBe('S 6: at most 67% of the steady-state probes failed.');
  });

  it('gives D 10 when the target itself detected nothing, however fast faultline’s probes saw it', () => {
    const history = getScenarioHistory(reports, 'SPOF-001');
    const scenario = structuredClone(history[0]!.scenario);
    for (const run of scenario.runs) run.targetDetectedMs = null;
    const derived = deriveRatings([{ ...history[0]!, scenario }], DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection).toMatchObject({ rating: 10, rule: 'detection.undetected', evidence: { detectedRuns: 0, ttdP95Ms: null, testTtdP95Ms: 61.7 } });
    expect(derived.detection!.reason).toBe('D 10: no control of the target detected the fault in 3 runs (no healer event, signal or log line). faultline’s probes (the test’s detection, not a control) saw it at p95 61.7 ms.');
  });

  it('derives no O below the minimum number of runs, and shows the count and the 95 % interval', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), DEFAULT_FMEA_CONFIG, now);
    expect(DEFAULT_FMEA_CONFIG.occurrence.minRuns).toBe(10);
    expect(derived.occurrence).toBeUndefined();
    expect(derived.notes).toContain('Occurrence: insufficient evidence (5 runs; 10 needed). It failed in 1 of 5 runs (95 % CI 4 %–62 %).');
  });

  it('derives O from every report of one configuration once there are enough runs, with its interval', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), resolveFmeaConfig({ occurrence: { minRuns: 5 } }), now);
    expect(derived.occurrence).toMatchObject({
      rating: 4, rule: 'occurrence.failure-rate',
      evidence: { runIds: ['2026-11-20T10-00-00-fixture', '2026-10-01T09-00-00-fixture'], runs: 5, failedRuns: 1, rate: 0.2, ciLow: 0.036, ciHigh: 0.624 },
    });
  });

  it('computes the Wilson interval', () => {
    expect(getWilsonInterval(0, 10).low).toBe(0);
    expect(getWilsonInterval(0, 10).high).toBeCloseTo(0.2775, 3);
    expect(getWilsonInterval(3, 3).low).toBeCloseTo(0.4385, 3);
    expect(getWilsonInterval(3, 3).high).toBe(1);
  });

  it('gives D 10 when nothing detected the fault in any run, and S from lost data', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'CORRUPTION-001'), resolveFmeaConfig({ occurrence: { minRuns: 3 } }), now);
    expect(derived.detection).toMatchObject({ rating: 10, rule: 'detection.undetected', evidence: { runs: 3, detectedRuns: 0, ttdP95Ms: null, testTtdP95Ms: null } });
    expect(derived.severity).toMatchObject({ rating: 8, rule: 'severity.data-lost', evidence: { lost: 2 } });
    expect(derived.occurrence).toMatchObject({ rating: 5, evidence: { runs: 3, failedRuns: 1 } });
  });

  it('derives nothing from aborted runs and says why', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'CORRUPTION-002'), DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection ?? derived.severity ?? derived.occurrence).toBeUndefined();
    expect(derived.notes).toEqual([
      'Detection: no completed run in 2026-11-20T10-00-00-fixture',
      'Severity: no completed run in 2026-11-20T10-00-00-fixture',
      'Occurrence: insufficient evidence (0 runs; 10 needed).',
    ]);
  });

  it('splits a history by configuration and scenario, never pooling them', () => {
    const history = getScenarioHistory(reports, 'SPOF-001');
    const off = { ...history[1]!, scenario: { ...history[1]!.scenario, configuration: 'reference orchestrator, healer off' } };
    const groups = groupHistory([history[0]!, off]);
    expect(groups.map((group) => [group.configuration, group.scenarioId, group.entries.length])).toEqual([
      ['reference orchestrator, healer on', 'orchestrator-session-killed', 1],
      ['reference orchestrator, healer off', 'orchestrator-session-killed', 1],
    ]);
  });

  it('raises D when the target missed the fault in some runs', () => {
    const history = getScenarioHistory(reports, 'SPOF-001');
    const scenario = structuredClone(history[0]!.scenario);
    scenario.runs[2] = { ...scenario.runs[2]!, targetDetectedMs: null };
    const derived = deriveRatings([{ ...history[0]!, scenario }], DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection).toMatchObject({ rating: 8, rule: 'detection.missed-runs', evidence: { detectedRuns: 2 } });
  });

  it('flags evidence older than the configured age as stale', () => {
    const history = getScenarioHistory(reports, 'SPOF-001');
    const later = new Date('2027-01-30T00:00:00Z');
    expect(deriveRatings(history, DEFAULT_FMEA_CONFIG, later).detection?.stale).toBe(true);
    expect(deriveRatings(history, resolveFmeaConfig({ staleAfterDays: 120 }), later).detection?.stale).toBe(false);
  });

  it('follows configured rules', () => {
    const config = resolveFmeaConfig({ detection: { steps: [{ maxRatio: 0.01, rating: 1 }], beyondSteps: 7 }, occurrence: { minRuns: 20 } });
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), config, now);
    expect(derived.detection?.rating).toBe(7);
    expect(derived.occurrence).toBeUndefined();
  });
});
