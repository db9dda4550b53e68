// The trend across runs: RTO p95 per scenario over time (only when several runs are reported together).
import type { TopLevelSpec } from 'vega-lite';
import type { Summary } from '../../analyse/summary-schema.js';
import { ACCENT } from '../charts/theme.js';

/** Points: one per scenario per run with an RTO p95; runs where nothing recovered are counted apart. */
export function buildTrendPoints(history: readonly Summary[]) {
  return history.flatMap((summary) => summary.scenarios.map((scenario) => ({
    run: summary.runId,
    at: summary.startedAt,
    scenario: scenario.id,
    p95: scenario.stats.rtoMs?.p95 ?? null,
    notRecovered: scenario.runs.filter((run) => run.status === 'completed' && !run.recovered).length,
  })));
}

/** The trend chart: a line per scenario. */
export function createTrendSpec(points: ReturnType<typeof buildTrendPoints>): TopLevelSpec {
  return {
    description: 'RTO p95 per scenario across runs',
    width: 720,
    height: 240,
    data: { values: points.filter((point) => point.p95 !== null).map((point) => ({ ...point })) },
    mark: { type: 'line', point: { filled: true, size: 40 }, strokeWidth: 2 },
    encoding: {
      // Runs are ordinal (by start time): game days days apart and CI runs seconds apart both read well.
      x: { field: 'run', type: 'ordinal', title: 'Run (oldest → newest)', sort: [...new Set(points.map((point) => point.run))], axis: { labelAngle: -35, labelOverlap: true } },
      y: { field: 'p95', type: 'quantitative', title: 'RTO p95 (ms)', scale: { zero: true } },
      color: { field: 'scenario', type: 'nominal', title: 'Scenario', scale: { scheme: 'tableau10' } },
    },
    config: { line: { color: ACCENT.line } },
  };
}

/** The section; null for a single run. */
export function buildTrendView(history: readonly Summary[]) {
  if (history.length < 2) return null;
  const points = buildTrendPoints(history);
  const gaps = points.filter((point) => point.p95 === null && point.notRecovered > 0)
    .map((point) => ({ scenario: point.scenario, run: point.run, notRecovered: point.notRecovered }));
  return {
    runs: history.length,
    first: history[0]!.runId,
    last: history.at(-1)!.runId,
    gaps,
    spec: points.some((point) => point.p95 !== null) ? createTrendSpec(points) : undefined,
  };
}
