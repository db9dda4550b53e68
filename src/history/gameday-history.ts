// What the history adds to a game-day report: the plan's earlier game days (verdict, and each scenario's
// recovery and RTO p95 then) and the resilience score with its formula and inputs.
import type { Summary } from '../analyse/summary-schema.js';
import { computeResilienceScore } from '../report/view/resilience-score.js';
import type { HistoryRunRow } from './query-history.js';

/** The game-day report's history section. */
export interface GameDayHistory {
  score: number | null;
  formula: string;
  inputs: { failureMode: string; scenario: string; severity: number; met: number; runs: number; share: number }[];
  /** Earlier game days of the same plan, newest first. */
  earlier: { runId: string; startedAt: string; verdict: string; scenarios: { id: string; recovered: string; rtoP95Ms: number | null }[] }[];
}

/** The section, from this game day's summary, the earlier summaries of its scenarios, and the plan's earlier game days. */
export function buildGameDayHistory(summary: Summary, earlierSummaries: readonly Summary[], earlierGameDays: readonly HistoryRunRow[], now = new Date()): GameDayHistory {
  const score = computeResilienceScore(summary, [...earlierSummaries, summary], now);
  return {
    score: score.score,
    formula: score.formula,
    inputs: score.inputs.map(({ failureMode, scenario, severity, met, runs, share }) => ({ failureMode, scenario, severity, met, runs, share })),
    earlier: earlierGameDays.filter((run) => run.runId !== summary.runId).slice(0, 10).map((run) => ({
      runId: run.runId, startedAt: run.startedAt, verdict: run.verdict,
      scenarios: run.scenarios.map((scenario) => ({ id: scenario.id, recovered: `${scenario.recovered}/${scenario.completed}`, rtoP95Ms: scenario.rtoP95Ms })),
    })),
  };
}
