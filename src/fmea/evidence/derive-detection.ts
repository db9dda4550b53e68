// Detection rates the system's own detection controls, not faultline's probes (which are the test's
// instruments): D comes from the target's own record (healer events, a signals file, targetSignals log
// lines) against the detection budget, and is 10 when the target detected nothing, so switching
// recovery off can never make a failure mode look better detected.
import { summarizeFigures } from '../../measure/stats.js';
import { pluralize } from '../../util/plural.js';
import type { FmeaConfig } from '../schema/config.js';
import type { DerivedEvidence, DerivedRating } from '../schema/derived.js';
import { getCompletedRuns, type HistoryEntry } from './scenario-history.js';

/** D from the newest report: 10 when the target's own controls detected the fault in no run, else by their TTD p95 ÷ budget. */
export function deriveDetection(latest: HistoryEntry, config: FmeaConfig['detection']): Omit<DerivedRating, 'stale'> | string {
  const runs = getCompletedRuns(latest.scenario);
  if (runs.length === 0) return `no completed run in ${latest.runId}`;
  const probeDetected = runs.filter((run) => run.detected === true || run.ttdMs !== null);
  const probeTtd = summarizeFigures(probeDetected.map((run) => run.ttdMs))?.p95 ?? null;
  const detected = runs.filter((run) => typeof run.targetDetectedMs === 'number');
  // faultline's probes are the test's detection: kept as evidence, labelled as such, never rated.
  const testDetection = probeTtd === null
    ? 'faultline’s probes (the test’s detection, not a control) saw nothing either.'
    : `faultline’s probes (the test’s detection, not a control) saw it at p95 ${formatMs(probeTtd)}.`;
  const base: DerivedEvidence = {
    runIds: [latest.runId], evidenceAt: latest.startedAt, runs: runs.length, detectedRuns: detected.length,
    configuration: latest.scenario.configuration, scenario: latest.scenario.id, testTtdP95Ms: probeTtd,
  };
  if (detected.length === 0) {
    return {
      dimension: 'detection', rating: config.undetected, rule: 'detection.undetected',
      reason: `D ${config.undetected}: no control of the target detected the fault in ${pluralize(runs.length, 'run')} (no healer event, signal or log line). ${testDetection}`,
      evidence: { ...base, ttdP95Ms: null },
    };
  }
  const fromExpect = latest.scenario.expect.ttdMs;
  const budgetMs = fromExpect ?? config.defaultBudgetMs;
  const ttdP95Ms = summarizeFigures(detected.map((run) => run.targetDetectedMs ?? null))?.p95;
  if (ttdP95Ms === undefined) return `detected runs in ${latest.runId} carry no detection time`;
  const ratio = ttdP95Ms / budgetMs;
  const step = config.steps.find((candidate) => ratio <= candidate.maxRatio);
  let rating = step?.rating ?? config.beyondSteps;
  let rule = 'detection.ttd-vs-budget';
  const budget = `the ${formatMs(budgetMs)} budget${fromExpect !== undefined ? ' (expect.ttdMs)' : ''}`;
  let reason = `D ${rating}: the target’s own controls detected it at p95 ${formatMs(ttdP95Ms)}, ${ratio.toFixed(2)} × ${budget}, in ${detected.length} of ${pluralize(runs.length, 'run')}.`;
  if (detected.length < runs.length && rating < config.missedRunsFloor) {
    rating = config.missedRunsFloor;
    rule = 'detection.missed-runs';
    reason = `D ${rating}: the target’s own controls missed the fault in ${runs.length - detected.length} of ${pluralize(runs.length, 'run')}; when they saw it, at p95 ${formatMs(ttdP95Ms)} (${ratio.toFixed(2)} × ${budget}).`;
  }
  return {
    dimension: 'detection', rating, rule, reason: `${reason} ${testDetection}`,
    evidence: { ...base, ttdP95Ms, budgetMs, budgetFrom: fromExpect !== undefined ? 'expect.ttdMs' : 'config', ratio: round(ratio) },
  };
}

/** 1234.5 → "1234.5 ms"; 12.3456 → "12.35 ms". */
export function formatMs(ms: number): string {
  return `${ms >= 100 ? ms.toFixed(1).replace(/\.0$/, '') : Number(ms.toFixed(2))} ms`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
