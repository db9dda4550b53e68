// The resilience score: of the failure modes the reported run exercised, the share that met their
// recovery target, weighted by FMEA severity, over every earlier run of the same configuration, with
// older results decaying (half-life below). Its formula and every input are shown in the report.
import type { ScenarioSummary, Summary } from '../../analyse/summary-schema.js';

/** Results this many days old count half as much as today's. */
export const SCORE_HALF_LIFE_DAYS = 30;
/** Severity used for a scenario without an FMEA row (the middle of the 1–10 scale, said so in the table). */
export const DEFAULT_SEVERITY = 5;

/** One failure mode's part in the score. */
export interface ScoreInput {
  failureMode: string;
  scenario: string;
  configuration: string;
  severity: number;
  /** No FMEA row gave a severity: DEFAULT_SEVERITY was used (the table says so). */
  defaultSeverity: boolean;
  /** Completed runs counted (all reports of this configuration). */
  runs: number;
  met: number;
  /** Σ decay-weighted results; the share below is Σ w·met / Σ w. */
  weight: number;
  share: number;
  newestAgeDays: number;
  target: string;
}

/** The score (0–100) and its inputs; null when nothing completed. */
export interface ResilienceScore {
  score: number | null;
  formula: string;
  halfLifeDays: number;
  inputs: ScoreInput[];
}

/** Computes the score of `summary` from `history` (every run given, the reported one included). */
export function computeResilienceScore(summary: Summary, history: readonly Summary[], now: Date): ResilienceScore {
  const inputs: ScoreInput[] = [];
  for (const scenario of summary.scenarios) {
    const configuration = scenario.configuration ?? '';
    let weight = 0;
    let metWeight = 0;
    let runs = 0;
    let met = 0;
    let newest = Number.POSITIVE_INFINITY;
    for (const report of history) {
      const age = Math.max(0, (now.getTime() - Date.parse(report.startedAt)) / 86_400_000);
      const decay = 0.5 ** (age / SCORE_HALF_LIFE_DAYS);
      for (const earlier of report.scenarios) {
        if (earlier.id !== scenario.id || (earlier.configuration ?? '') !== configuration) continue;
        for (const run of earlier.runs) {
          if (run.status !== 'completed') continue;
          const ok = meetsTarget(run, earlier);
          runs += 1;
          met += ok ? 1 : 0;
          weight += decay;
          metWeight += ok ? decay : 0;
          newest = Math.min(newest, age);
        }
      }
    }
    if (runs === 0) continue;
    const severity = scenario.fmea?.severity;
    inputs.push({
      failureMode: scenario.fmea ? `${scenario.fmea.id} ${scenario.fmea.failureMode}` : scenario.title,
      scenario: scenario.id, configuration,
      severity: severity ?? DEFAULT_SEVERITY, defaultSeverity: severity === undefined,
      runs, met, weight: round(weight, 3), share: round(metWeight / weight, 3), newestAgeDays: round(newest, 1),
      target: describeTarget(scenario),
    });
  }
  const total = inputs.reduce((sum, input) => sum + input.severity, 0);
  const score = total === 0 ? null : round((100 * inputs.reduce((sum, input) => sum + input.severity * input.share, 0)) / total, 1);
  return {
    score,
    formula: `score = 100 × Σ S_i · m_i / Σ S_i, where m_i = Σ w_r · met_r / Σ w_r over failure mode i's completed runs r in this configuration, w_r = 0.5^(age_r / ${SCORE_HALF_LIFE_DAYS} days), met_r = 1 when the run recovered within its timeout, its RTO ≤ expect.rtoMs and its data loss ≤ expect.dataLoss (0 otherwise; an accepted known gap counts 0)`,
    halfLifeDays: SCORE_HALF_LIFE_DAYS,
    inputs,
  };
}

// A run met its recovery target: it recovered, within the RTO budget, losing no more than allowed.
function meetsTarget(run: ScenarioSummary['runs'][number], scenario: ScenarioSummary): boolean {
  if (!run.recovered) return false;
  if (scenario.expect.rtoMs !== undefined && (run.rtoMs === null || run.rtoMs > scenario.expect.rtoMs)) return false;
  return (run.dataLoss?.lost ?? 0) <= (scenario.expect.dataLoss ?? 0);
}

function describeTarget(scenario: ScenarioSummary): string {
  const parts = ['recovers'];
  if (scenario.expect.rtoMs !== undefined) parts.push(`RTO ≤ ${scenario.expect.rtoMs} ms`);
  parts.push(`lost ≤ ${scenario.expect.dataLoss ?? 0}`);
  return parts.join(', ');
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}
