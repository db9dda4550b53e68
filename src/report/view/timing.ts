// TTD and RTO per scenario against their targets: p50 / p95 / max with each figure's own window, and a chart of every run.
import type { TopLevelSpec } from 'vega-lite';
import type { ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import type { Percentiles } from '../../measure/stats.js';
import { pluralize } from '../../util/plural.js';
import { ACCENT } from '../charts/theme.js';
import { formatDuration, formatWindow, getToneClass, ZERO_TTD_REASON } from '../format.js';
import { createLogAxis, fitLogDomain } from './log-axis.js';

type Metric = 'ttdMs' | 'rtoMs';

const LABELS: Record<Metric, { name: string; short: string; missing: string }> = {
  ttdMs: { name: 'Time to detect', short: 'TTD', missing: 'not detected' },
  rtoMs: { name: 'Time to recover', short: 'RTO', missing: 'not recovered' },
};

// p50 / p95 / max, the widest window and the target of one metric, and whether p95 met it.
function viewMetric(scenario: ScenarioSummary, metric: Metric) {
  const stats: Percentiles | null = scenario.stats[metric];
  const target = scenario.expect[metric];
  const check = scenario.checks.find((candidate) => candidate.name === metric);
  const missing = scenario.runs.filter((run) => run.status === 'completed' && run[metric] === null).length;
  const window = metric === 'ttdMs' ? scenario.stats.ttdResolutionMs : scenario.stats.rtoResolutionMs;
  return {
    p50: formatDuration(stats?.p50), p95: formatDuration(stats?.p95), max: formatDuration(stats?.max),
    window: formatWindow(window ?? (stats ? scenario.resolutionMs : null)),
    target: target === undefined ? '—' : `≤ ${formatDuration(target)}`,
    missing: missing > 0 ? `${pluralize(missing, 'run')} ${LABELS[metric].missing}` : '',
    status: check?.status ?? '',
    tone: check ? getToneClass(check.status) : 'muted',
  };
}

/** Table rows: one per scenario, in the summary's order (the charts use the same). */
export function buildTimingRows(summary: Summary) {
  return summary.scenarios.map((scenario) => ({
    id: scenario.id,
    title: scenario.title,
    runs: scenario.runs.length,
    completed: scenario.stats.completed,
    ttd: viewMetric(scenario, 'ttdMs'),
    rto: viewMetric(scenario, 'rtoMs'),
  }));
}

/** Kinds of point in a timing chart, in legend order. */
export const TIMING_KINDS = ['run', `0 ms: ${ZERO_TTD_REASON}`, 'p95', 'target'] as const;

/** One point of a timing chart; runs without a figure are counted in the lane instead. */
export interface TimingPoint {
  scenario: string;
  ms: number;
  kind: (typeof TIMING_KINDS)[number];
  run: number | null;
}

/** Points of one metric's chart (each run, the p95 and the target) and the runs with no figure, per scenario. */
export function buildTimingPoints(summary: Summary, metric: Metric) {
  const points: TimingPoint[] = [];
  const lane: { scenario: string; runs: number; completed: number; label: string }[] = [];
  for (const scenario of summary.scenarios) {
    const completed = scenario.runs.filter((candidate) => candidate.status === 'completed');
    for (const run of completed) {
      const value = run[metric];
      if (value !== null) points.push({ scenario: scenario.id, ms: value, kind: value === 0 ? TIMING_KINDS[1] : 'run', run: run.index });
    }
    const missing = completed.filter((run) => run[metric] === null).length;
    if (missing > 0) lane.push({ scenario: scenario.id, runs: missing, completed: completed.length, label: `${missing} of ${pluralize(completed.length, 'run')}` });
    const p95 = scenario.stats[metric]?.p95;
    if (p95 !== undefined) points.push({ scenario: scenario.id, ms: p95, kind: 'p95', run: null });
    const target = scenario.expect[metric];
    if (target !== undefined) points.push({ scenario: scenario.id, ms: target, kind: 'target', run: null });
  }
  return { points, lane, order: summary.scenarios.map((scenario) => scenario.id) };
}

/**
 * The chart of one metric: scenarios down the side in the table's order; runs as rings, p95 and target as
 * strokes on a log axis that fits the data; runs with no figure in their own lane beyond the axis.
 */
export function createTimingSpec(data: ReturnType<typeof buildTimingPoints>, metric: Metric): TopLevelSpec {
  const label = LABELS[metric];
  const positive = data.points.filter((point) => point.ms > 0).map((point) => point.ms);
  const domain = fitLogDomain(positive);
  // A figure of 0 cannot sit on a log axis: it is drawn at the axis' start, with its own symbol and legend entry.
  const values = data.points.map((point) => ({ ...point, x: point.ms > 0 ? point.ms : domain[0] }));
  const y = { field: 'scenario', type: 'nominal', title: 'Scenario', sort: data.order, scale: { domain: data.order }, axis: { labelLimit: 240 } } as const;
  const stroke = 'M0,-1L0,1';
  // The legend lists only the kinds drawn, each with the symbol it is drawn with.
  const kinds = TIMING_KINDS.filter((kind) => data.points.some((point) => point.kind === kind));
  const pick = <T,>(range: readonly T[]) => kinds.map((kind) => range[TIMING_KINDS.indexOf(kind)]!);
  const main = {
    width: 600,
    height: { step: 26 },
    data: { values },
    mark: { type: 'point', filled: false, strokeWidth: 2, opacity: 0.9 },
    encoding: {
      x: { field: 'x', type: 'quantitative', title: `${label.name}, ms after the fault took effect (log scale)`, scale: { type: 'log', domain, nice: false }, axis: createLogAxis(domain) },
      y,
      color: { field: 'kind', type: 'nominal', title: null, scale: { domain: kinds, range: pick([ACCENT.recover, ACCENT.recover, '#475467', ACCENT.target]) }, legend: { orient: 'bottom', direction: 'horizontal', labelLimit: 0, symbolStrokeWidth: 2 } },
      shape: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: pick(['circle', 'triangle-right', stroke, stroke]) } },
      size: { field: 'kind', type: 'nominal', scale: { domain: kinds, range: pick([60, 60, 420, 520]) }, legend: null },
      tooltip: [{ field: 'scenario' }, { field: 'kind' }, { field: 'ms', title: 'ms' }, { field: 'run' }],
    },
  } as const;
  const lane = data.lane.length === 0 ? [] : [{
    width: 110,
    height: { step: 26 },
    data: { values: data.lane.map((entry) => ({ ...entry, lane: label.missing })) },
    layer: [
      { mark: { type: 'point', shape: 'cross', filled: true, size: 90, color: ACCENT.target, angle: 45 }, encoding: { x: { field: 'lane', type: 'nominal', title: label.missing, axis: { labels: false, ticks: false, domain: false } }, y: { ...y, axis: null } } },
      { mark: { type: 'text', align: 'left', dx: 9, fontSize: 11, color: '#c4320a' }, encoding: { x: { field: 'lane', type: 'nominal' }, y: { ...y, axis: null }, text: { field: 'label' } } },
    ],
  }];
  return {
    title: { text: `${label.name} (${label.short}) per scenario`, anchor: 'start' },
    description: `${label.name} per scenario: every run, the p95 and the target${data.lane.length ? `; runs ${label.missing} in their own lane` : ''}`,
    hconcat: [main, ...lane],
    spacing: 6,
    resolve: { scale: { y: 'shared' } },
  } as TopLevelSpec;
}

/** The section: the table and one chart per metric (none when nothing was measured). */
export function buildTimingView(summary: Summary) {
  const ttd = buildTimingPoints(summary, 'ttdMs');
  const rto = buildTimingPoints(summary, 'rtoMs');
  const measured = (data: typeof ttd) => data.points.some((point) => point.kind !== 'target' && point.kind !== 'p95') || data.lane.length > 0;
  return {
    rows: buildTimingRows(summary),
    notRecovered: rto.lane.reduce((sum, entry) => sum + entry.runs, 0),
    notDetected: ttd.lane.reduce((sum, entry) => sum + entry.runs, 0),
    specs: {
      ttd: measured(ttd) ? createTimingSpec(ttd, 'ttdMs') : undefined,
      rto: measured(rto) ? createTimingSpec(rto, 'rtoMs') : undefined,
    },
  };
}
