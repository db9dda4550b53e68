// The regression gate: each scenario of a run against the median of its own last N results in the same
// configuration. The absolute targets (expect) are the other gate; this one catches a scenario that
// still meets its target but got much slower, or that recovered before and does not now.
import { getBaselineConfiguration } from '../analyse/configuration.js';
import type { Summary } from '../analyse/summary-schema.js';
import type { HistoryDb } from './open-history.js';
import { getScenarioSeries, type ScenarioResult } from './query-history.js';

/** How the baseline is taken and how much slower counts as a regression. */
export interface BaselineOptions {
  /** Earlier results per scenario to take the median of. */
  runs: number;
  /** Allowed rise over the median, as a share (0.5 = 50 % slower is still fine). */
  margin: number;
}

/** One scenario's comparison with its baseline. */
export interface BaselineFinding {
  scenario: string;
  configuration: string;
  status: 'regressed' | 'ok' | 'no baseline';
  /** What regressed: the RTO p95, or recovery itself. */
  kind?: 'rto' | 'recovery';
  message: string;
  baselineRuns: string[];
  medianRtoP95Ms: number | null;
  thresholdMs: number | null;
  rtoP95Ms: number | null;
}

/** Compares every scenario of `summary` with its last `runs` results before it in the store. */
export function checkBaseline(db: HistoryDb, summary: Summary, options: BaselineOptions): BaselineFinding[] {
  return summary.scenarios.map((scenario) => {
    const configuration = scenario.configuration ?? `reference orchestrator, healer ${summary.options.heal ? 'on' : 'off'}`;
    const series = getScenarioSeries(db, scenario.id, getBaselineConfiguration(configuration), { before: summary.startedAt, exclude: summary.runId, limit: options.runs })
      .filter((result) => result.completed > 0);
    const resolution = scenario.stats.rtoResolutionMs ?? scenario.resolutionMs ?? 0;
    return compareWithBaseline({
      scenario: scenario.id, configuration,
      completed: scenario.stats.completed, recovered: scenario.stats.recovered,
      rtoP95Ms: scenario.stats.rtoMs?.p95 ?? null, resolutionMs: resolution,
    }, series, options);
  });
}

/** The comparison itself, on figures alone (the store's series newest first). */
export function compareWithBaseline(
  current: { scenario: string; configuration: string; completed: number; recovered: number; rtoP95Ms: number | null; resolutionMs: number },
  series: readonly ScenarioResult[],
  options: BaselineOptions,
): BaselineFinding {
  const base = { scenario: current.scenario, configuration: current.configuration, baselineRuns: series.map((result) => result.runId), rtoP95Ms: current.rtoP95Ms };
  if (current.completed === 0) return { ...base, status: 'no baseline', message: `${current.scenario}: no completed run to compare`, medianRtoP95Ms: null, thresholdMs: null };
  if (series.length === 0) return { ...base, status: 'no baseline', message: `${current.scenario}: no earlier result in ${current.configuration} to compare with`, medianRtoP95Ms: null, thresholdMs: null };
  const recoveredBefore = series.filter((result) => result.recovered === result.completed);
  const median = getMedian(series.map((result) => result.rtoP95Ms).filter((value): value is number => value !== null));
  const threshold = median === null ? null : median * (1 + options.margin) + current.resolutionMs;
  const figures = { medianRtoP95Ms: median, thresholdMs: threshold === null ? null : round(threshold) };
  const of = `the median of its last ${series.length === 1 ? 'result' : `${series.length} results`}`;
  if (current.recovered < current.completed && recoveredBefore.length > 0) {
    return { ...base, ...figures, status: 'regressed', kind: 'recovery', message: `${current.scenario}: did not recover in ${current.completed - current.recovered} of ${current.completed} runs; it recovered every time in ${recoveredBefore.length} of ${series.length} earlier results (${current.configuration})` };
  }
  if (median !== null && threshold !== null && current.rtoP95Ms !== null && current.rtoP95Ms > threshold) {
    return { ...base, ...figures, status: 'regressed', kind: 'rto', message: `${current.scenario}: RTO p95 ${formatMs(current.rtoP95Ms)} exceeds ${of} (${formatMs(median)}) by ${Math.round((current.rtoP95Ms / median - 1) * 100)} % — more than the ${Math.round(options.margin * 100)} % margin plus the ${formatMs(current.resolutionMs)} resolution (${current.configuration})` };
  }
  const shown = current.rtoP95Ms === null ? 'no RTO' : `RTO p95 ${formatMs(current.rtoP95Ms)}`;
  return { ...base, ...figures, status: 'ok', message: `${current.scenario}: ${shown}; ${median === null ? 'no recovered baseline' : `${of} ${formatMs(median)}, threshold ${formatMs(threshold!)}`}` };
}

/** The median of a list (the mean of the middle two for an even count); null when empty. */
export function getMedian(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${round(ms / 1000)} s` : `${round(ms)} ms`;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}
