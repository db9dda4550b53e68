import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { deriveRatings, getScenarioHistory, readEvidence, readEvidenceReport, resolveFmeaConfig, DEFAULT_FMEA_CONFIG } from '../../../src/fmea/index.js';

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
    expect(older.runs[0]).toEqual({ index: 1, completed: true, recovered: false, detected: true, ttdMs: 80, rtoMs: null, probesFailed: 3, steadyStateProbes: 3, lost: null });
    expect(older.stats.ttdMs).toEqual({ p50: 80, p95: 95, max: 95 });
  });

  it('names a directory without summary.json and a summary that is not JSON', () => {
    expect(() => readEvidenceReport(fixture('.'))).toThrow(/no summary\.json here/);
    expect(() => readEvidenceReport(fixture('worksheet.yaml'))).toThrow(/worksheet\.yaml:1 invalid JSON/);
  });
});

describe('deriveRatings', () => {
  it('derives D from TTD p95 against the budget and S from the share of probes failed', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection).toMatchObject({
      rating: 2, rule: 'detection.ttd-vs-budget',
      evidence: { runIds: ['2026-11-20T10-00-00-fixture'], runs: 3, detectedRuns: 3, ttdP95Ms: 61.7, budgetMs: 1000, budgetFrom: 'expect.ttdMs', ratio: 0.062 },
      stale: false,
    });
    expect(derived.detection!.reason).toBe('TTD p95 61.7 ms is 0.06 × the 1000 ms budget (expect.ttdMs) → D 2; 3 of 3 runs detected');
    expect(derived.severity).toMatchObject({ rating: 6, rule: 'severity.probe-share', evidence: { maxProbeShare: 2 / 3, lost: 0, notRecoveredRuns: 0 } });
  });

  it('derives O from every report: one failure in five runs', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), DEFAULT_FMEA_CONFIG, now);
    expect(derived.occurrence).toMatchObject({
      rating: 4, rule: 'occurrence.failure-rate',
      evidence: { runIds: ['2026-11-20T10-00-00-fixture', '2026-10-01T09-00-00-fixture'], runs: 5, failedRuns: 1, rate: 0.2 },
    });
  });

  it('gives D 10 when no probe noticed the fault in any run, and S from lost data', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'CORRUPTION-001'), DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection).toMatchObject({ rating: 10, rule: 'detection.undetected', evidence: { runs: 3, detectedRuns: 0, ttdP95Ms: null } });
    expect(derived.severity).toMatchObject({ rating: 8, rule: 'severity.data-lost', evidence: { lost: 2 } });
    expect(derived.occurrence).toMatchObject({ rating: 5, evidence: { runs: 3, failedRuns: 1 } });
  });

  it('derives nothing from aborted runs and says why', () => {
    const derived = deriveRatings(getScenarioHistory(reports, 'CORRUPTION-002'), DEFAULT_FMEA_CONFIG, now);
    expect(derived.detection ?? derived.severity ?? derived.occurrence).toBeUndefined();
    expect(derived.notes).toEqual([
      'detection: no completed run in 2026-11-20T10-00-00-fixture',
      'severity: no completed run in 2026-11-20T10-00-00-fixture',
      'occurrence: Occurrence needs 3 runs; 0 so far',
    ]);
  });

  it('raises D when some runs went unnoticed', () => {
    const history = getScenarioHistory(reports, 'SPOF-001');
    const scenario = structuredClone(history[0]!.scenario);
    scenario.runs[2] = { ...scenario.runs[2]!, detected: false, ttdMs: null };
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
    const config = resolveFmeaConfig({ detection: { steps: [{ maxRatio: 0.01, rating: 1 }], beyondSteps: 7 }, occurrence: { minRuns: 10 } });
    const derived = deriveRatings(getScenarioHistory(reports, 'SPOF-001'), config, now);
    expect(derived.detection?.rating).toBe(7);
    expect(derived.occurrence).toBeUndefined();
  });
});
