// Detection from measured time to detect against the detection budget (DESIGN §7).
import { summarizeFigures } from '../../measure/stats.js';
import type { FmeaConfig } from '../schema/config.js';
import type { DerivedEvidence, DerivedRating } from '../schema/derived.js';
import { getCompletedRuns, type HistoryEntry } from './scenario-history.js';

/** D from the newest report: 10 when no probe noticed the fault in any run, else by TTD p95 ÷ budget. */
export function deriveDetection(latest: HistoryEntry, config: FmeaConfig['detection']): Omit<DerivedRating, 'stale'> | string {
  const runs = getCompletedRuns(latest.scenario);
  if (runs.length === 0) return `no completed run in ${latest.runId}`;
  const detected = runs.filter((run) => run.detected === true || run.ttdMs !== null);
  const base: DerivedEvidence = { runIds: [latest.runId], evidenceAt: latest.startedAt, runs: runs.length, detectedRuns: detected.length };
  if (detected.length === 0) {
    return {
      dimension: 'detection', rating: config.undetected, rule: 'detection.undetected',
      reason: `no probe noticed the fault in any of ${runs.length} run${runs.length === 1 ? '' : 's'} → D ${config.undetected}`,
      evidence: { ...base, ttdP95Ms: null },
    };
  }
  const fromExpect = latest.scenario.expect.ttdMs;
  const budgetMs = fromExpect ?? config.defaultBudgetMs;
  const ttdP95Ms = (detected.length === runs.length ? latest.scenario.stats.ttdMs?.p95 : undefined)
    ?? summarizeFigures(detected.map((run) => run.ttdMs))?.p95 ?? latest.scenario.stats.ttdMs?.p95;
  if (ttdP95Ms === undefined) return `detected runs in ${latest.runId} carry no TTD`;
  const ratio = ttdP95Ms / budgetMs;
  const step = config.steps.find((candidate) => ratio <= candidate.maxRatio);
  let rating = step?.rating ?? config.beyondSteps;
  let rule = 'detection.ttd-vs-budget';
  let reason = `TTD p95 ${formatMs(ttdP95Ms)} is ${ratio.toFixed(2)} × the ${formatMs(budgetMs)} budget (${fromExpect !== undefined ? 'expect.ttdMs' : 'default'}) → D ${rating}`;
  if (detected.length < runs.length && rating < config.missedRunsFloor) {
    rating = config.missedRunsFloor;
    rule = 'detection.missed-runs';
    reason += `, raised to D ${rating}: ${runs.length - detected.length} of ${runs.length} runs went unnoticed`;
  } else {
    reason += `; ${detected.length} of ${runs.length} runs detected`;
  }
  return {
    dimension: 'detection', rating, rule, reason,
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
