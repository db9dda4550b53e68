// TTD and RTO per scenario against their targets: p50 / p95 / max with resolution, and a chart of every run.
import type { TopLevelSpec } from 'vega-lite';
import type { ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import type { Percentiles } from '../../measure/stats.js';
import { ACCENT } from '../charts/theme.js';
import { formatDuration, getToneClass } from '../format.js';

type Metric = 'ttdMs' | 'rtoMs';

// p50 / p95 / max and the target of one metric, and whether p95 met it.
function viewMetric(scenario: ScenarioSummary, metric: Metric) {
  const stats: Percentiles | null = scenario.stats[metric];
  const target = scenario.expect[metric];
  const check = scenario.checks.find((candidate) => candidate.name === metric);
  const missing = scenario.runs.filter((run) => run.status === 'completed' && run[metric] === null).length;
  return {
    p50: formatDuration(stats?.p50), p95: formatDuration(stats?.p95), max: formatDuration(stats?.max),
    target: target === undefined ? '—' : `≤ ${formatDuration(target)}`,
    missing: missing > 0 ? `${missing} run(s) ${metric === 'rtoMs' ? 'not recovered' : 'not detected'}` : '',
    status: check?.status ?? '',
    tone: check ? getToneClass(check.status) : 'muted',
  };
}

/** Table rows: one per scenario. */
export function buildTimingRows(summary: Summary) {
  return summary.scenarios.map((scenario) => ({
    id: scenario.id,
    title: scenario.title,
    runs: scenario.runs.length,
    completed: scenario.stats.completed,
    resolution: `± ${formatDuration(scenario.resolutionMs)}`,
    ttd: viewMetric(scenario, 'ttdMs'),
    rto: viewMetric(scenario, 'rtoMs'),
  }));
}

/** Points of one metric's chart: each run, the p95 and the target. A run without a figure sits at its timeout. */
export function buildTimingPoints(summary: Summary, metric: Metric) {
  return summary.scenarios.flatMap((scenario) => {
    const points: { scenario: string; ms: number; kind: string; run: number | null }[] = [];
    for (const run of scenario.runs.filter((candidate) => candidate.status === 'completed')) {
      const value = run[metric];
      if (value !== null) points.push({ scenario: scenario.id, ms: value, kind: 'run', run: run.index });
      else if (metric === 'rtoMs') points.push({ scenario: scenario.id, ms: run.timeoutMs, kind: 'not recovered (timeout)', run: run.index });
    }
    const p95 = scenario.stats[metric]?.p95;
    if (p95 !== undefined) points.push({ scenario: scenario.id, ms: p95, kind: 'p95', run: null });
    const target = scenario.expect[metric];
    if (target !== undefined) points.push({ scenario: scenario.id, ms: target, kind: 'target', run: null });
    return points;
  });
}

/** The chart of one metric: runs as dots, p95 and target as ticks, scenarios down the side. */
export function createTimingSpec(points: ReturnType<typeof buildTimingPoints>, metric: Metric): TopLevelSpec {
  const label = metric === 'ttdMs' ? 'Time to detect' : 'Time to recover';
  const color = {
    field: 'kind', type: 'nominal', title: null,
    scale: { domain: ['run', 'not recovered (timeout)', 'p95', 'target'], range: [ACCENT.recover, ACCENT.target, ACCENT.muted, ACCENT.target] },
  } as const;
  const y = { field: 'scenario', type: 'nominal', title: null, axis: { labelLimit: 320 } } as const;
  const x = { field: 'ms', type: 'quantitative', title: `${label} (ms after the fault took effect)`, scale: { zero: true, nice: true } } as const;
  const only = (kind: string) => [{ filter: `datum.kind === '${kind}'` }];
  return {
    description: `${label} per scenario: every run, the p95 and the target`,
    width: 720,
    height: { step: 26 },
    data: { values: points.map((point) => ({ ...point })) },
    layer: [
      { transform: only('run'), mark: { type: 'point', shape: 'circle', filled: true, size: 56, opacity: 0.85 }, encoding: { x, y, color } },
      { transform: only('not recovered (timeout)'), mark: { type: 'point', shape: 'cross', filled: true, size: 70 }, encoding: { x, y, color } },
      { transform: only('p95'), mark: { type: 'tick', thickness: 3, size: 18 }, encoding: { x, y, color } },
      { transform: only('target'), mark: { type: 'tick', thickness: 2, size: 22 }, encoding: { x, y, color } },
    ],
  };
}

/** The section: the table and one chart per metric (none when nothing was measured). */
export function buildTimingView(summary: Summary) {
  const ttd = buildTimingPoints(summary, 'ttdMs');
  const rto = buildTimingPoints(summary, 'rtoMs');
  return {
    rows: buildTimingRows(summary),
    specs: {
      ttd: ttd.some((point) => point.kind === 'run') ? createTimingSpec(ttd, 'ttdMs') : undefined,
      rto: rto.some((point) => point.kind !== 'target') ? createTimingSpec(rto, 'rtoMs') : undefined,
    },
  };
}
