// Each claim against the runs of the scenarios that name it: held, broken or untested (never dropped).
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import type { Claim } from './schema.js';

/** What the runs say about one claim. */
export interface ClaimResult {
  claim: Claim;
  status: 'held' | 'broken' | 'untested';
  /** The measured figure in words ("0.74 s p95 (3 runs)"); empty when untested. */
  measured: string;
  /** The figure compared with the bound (ms, or items lost). */
  value?: number;
  runs: number;
  scenarios: string[];
  runIds: string[];
  /** Why it is untested or broken, in one sentence. */
  reason: string;
}

/** Evaluates every claim against summaries (newest first): a scenario's newest run is what counts. */
export function evaluateClaims(claims: readonly Claim[], summaries: readonly Summary[]): ClaimResult[] {
  return claims.map((claim) => evaluateClaim(claim, findLinkedScenarios(claim.id, summaries)));
}

// The newest summary of each scenario that names the claim.
function findLinkedScenarios(id: string, summaries: readonly Summary[]): { scenario: ScenarioSummary; runId: string }[] {
  const seen = new Set<string>();
  const linked: { scenario: ScenarioSummary; runId: string }[] = [];
  for (const summary of summaries) {
    for (const scenario of summary.scenarios) {
      if (!scenario.claims?.includes(id) || seen.has(scenario.id)) continue;
      seen.add(scenario.id);
      linked.push({ scenario, runId: summary.runId });
    }
  }
  return linked;
}

function evaluateClaim(claim: Claim, linked: { scenario: ScenarioSummary; runId: string }[]): ClaimResult {
  const base = { claim, runs: 0, scenarios: linked.map((entry) => entry.scenario.id), runIds: [...new Set(linked.map((entry) => entry.runId))] };
  if (linked.length === 0) return { ...base, status: 'untested', measured: '', reason: 'no scenario tests it (name its id in a scenario’s `claims`)' };
  const runs = linked.reduce((sum, entry) => sum + entry.scenario.stats.completed, 0);
  if (runs === 0) return { ...base, status: 'untested', measured: '', reason: 'no run of its scenarios completed' };
  const measure = MEASURES[claim.metric];
  const figures = linked.map((entry) => measure.read(entry.scenario));
  if (figures.some((figure) => figure === undefined)) return { ...base, runs, status: 'untested', measured: '', reason: measure.missing };
  const value = Math.max(...(figures as number[]));
  const measured = `${measure.format(value)} (${runs} run${runs === 1 ? '' : 's'})`;
  const notRecovered = claim.metric === 'rto' ? linked.reduce((sum, entry) => sum + (entry.scenario.stats.completed - entry.scenario.stats.recovered), 0) : 0;
  const max = claim.metric === 'data-loss' ? claim.bound.maxLost : claim.bound.maxMs;
  if (notRecovered > 0) return { ...base, runs, value, measured: `not recovered in ${notRecovered} of ${runs} runs`, status: 'broken', reason: `not recovered in ${notRecovered} of ${runs} runs` };
  if (max === undefined) return { ...base, runs, value, measured, status: 'untested', reason: `the bound "${claim.bound.text}" is not a figure to compare with` };
  const held = value <= max;
  return { ...base, runs, value, measured, status: held ? 'held' : 'broken', reason: held ? '' : `${measure.format(value)} exceeds ${claim.bound.text}` };
}

const MEASURES: Record<Claim['metric'], { read: (scenario: ScenarioSummary) => number | undefined; format: (value: number) => string; missing: string }> = {
  rto: { read: (scenario) => scenario.stats.rtoMs?.p95, format: (ms) => `${formatSeconds(ms)} p95`, missing: 'its scenarios measured no recovery time' },
  ttd: { read: (scenario) => scenario.stats.ttdMs?.p95, format: (ms) => `${formatSeconds(ms)} p95`, missing: 'its scenarios measured no detection time' },
  'data-loss': {
    read: (scenario) => scenario.stats.dataLoss?.lost ?? undefined,
    format: (lost) => `${lost} lost`,
    missing: 'its scenarios have no canaries (add one to measure data loss)',
  },
  rpo: { read: readLossWindow, format: (ms) => `${formatSeconds(ms)} RPO window`, missing: 'its scenarios have no canaries (add one to measure the RPO window)' },
};

// The widest window of lost items' sends over the runs; 0 when canaries lost nothing.
function readLossWindow(scenario: ScenarioSummary): number | undefined {
  if (!scenario.stats.dataLoss) return undefined;
  const widths = scenario.runs.map((run) => (run.dataLoss?.window ? run.dataLoss.window.toMs - run.dataLoss.window.fromMs : 0));
  return Math.max(0, ...widths);
}

/** 740 → "0.74 s"; 61_234 → "61.23 s". */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`;
}
