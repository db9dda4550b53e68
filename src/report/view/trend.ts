// The trend across runs: RTO p95 per scenario over time, one small chart per scenario, failed runs marked
// (only when several runs are reported together).
import type { TopLevelSpec } from 'vega-lite';
import type { Summary } from '../../analyse/summary-schema.js';
import { ACCENT } from '../charts/theme.js';

/** Scenarios drawn as small multiples; more are listed in the table only. */
export const TREND_SCENARIOS = 24;

/** What a point of the trend is: a verdict word, or "not recovered" for runs drawn in the top lane. */
const OUTCOMES = ['pass', 'known-gap', 'fail', 'other', 'not recovered'];
const OUTCOME_COLORS = [ACCENT.recover, ACCENT.detect, ACCENT.target, ACCENT.muted, ACCENT.target];
const OUTCOME_SHAPES = ['circle', 'circle', 'circle', 'circle', 'cross'];

/** Points: one per scenario per run; a run where nothing recovered has no p95 and is counted apart. */
export function buildTrendPoints(history: readonly Summary[]) {
  return history.flatMap((summary, position) => summary.scenarios.map((scenario) => {
    const notRecovered = scenario.runs.filter((run) => run.status === 'completed' && !run.recovered).length;
    const verdict = ['pass', 'known-gap', 'fail'].includes(scenario.verdict) ? scenario.verdict : 'other';
    return {
      run: summary.runId,
      position: position + 1,
      at: summary.startedAt,
      scenario: scenario.id,
      p95: scenario.stats.rtoMs?.p95 ?? null,
      verdict,
      notRecovered,
    };
  }));
}

/** The trend: small multiples (a chart per scenario, its own y scale), p95 dots coloured by the run's verdict, a cross on top for runs that did not recover. */
export function createTrendSpec(points: ReturnType<typeof buildTrendPoints>): TopLevelSpec {
  const scenarios = [...new Set(points.map((point) => point.scenario))].slice(0, TREND_SCENARIOS);
  const shown = points.filter((point) => scenarios.includes(point.scenario));
  const runs = [...new Set(points.map((point) => point.position))];
  const x = { field: 'position', type: 'ordinal', title: 'Run (oldest → newest)', sort: runs, scale: { domain: runs }, axis: { labelAngle: 0, labelOverlap: true } } as const;
  const present = OUTCOMES.filter((outcome) => shown.some((point) => (outcome === 'not recovered' ? point.notRecovered > 0 : point.p95 !== null && point.verdict === outcome)));
  const pick = (range: readonly string[]) => present.map((outcome) => range[OUTCOMES.indexOf(outcome)]!);
  // Colour and shape share one legend, so each entry shows the very symbol drawn.
  const color = { field: 'outcome', type: 'nominal', title: 'Scenario in that run', scale: { domain: present, range: pick(OUTCOME_COLORS) } } as const;
  const shape = { field: 'outcome', type: 'nominal', scale: { domain: present, range: pick(OUTCOME_SHAPES) } } as const;
  return {
    title: { text: 'RTO p95 per scenario across runs', anchor: 'start' },
    description: 'RTO p95 per scenario across runs, one small chart per scenario; crosses mark runs that did not recover',
    data: { values: shown.map((point) => ({ ...point, outcome: point.verdict, lane: point.notRecovered > 0 ? 'not recovered' : '' })) },
    facet: { field: 'scenario', type: 'nominal', title: null, sort: scenarios, header: { labelLimit: 210, labelFontSize: 11, labelAnchor: 'start' } },
    columns: 4,
    spec: {
      width: 190,
      height: 90,
      layer: [
        { transform: [{ filter: 'datum.p95 !== null' }], mark: { type: 'line', color: ACCENT.muted, strokeWidth: 1.5 }, encoding: { x, y: { field: 'p95', type: 'quantitative', title: 'RTO p95 (ms)', scale: { zero: true }, axis: { tickCount: 4 } } } },
        // Every chart's scale starts at 0, also for a scenario that never recovered (no p95 at all): an invisible point at 0.
        { transform: [{ calculate: '0', as: 'floor' }], mark: { type: 'point', opacity: 0 }, encoding: { x, y: { field: 'floor', type: 'quantitative' } } },
        { transform: [{ filter: 'datum.p95 !== null' }], mark: { type: 'point', filled: true, size: 42 }, encoding: { x, y: { field: 'p95', type: 'quantitative' }, color, shape } },
        // Runs that did not recover, on the chart's top edge: their RTO is not a number to plot.
        {
          transform: [{ filter: 'datum.notRecovered > 0' }, { calculate: "'not recovered'", as: 'outcome' }],
          mark: { type: 'point', filled: true, size: 80 },
          encoding: { x, y: { value: 4 }, color, shape },
        },
      ],
    },
    resolve: { scale: { y: 'independent' } },
  } as TopLevelSpec;
}

/** Each scenario of the reported run across the earlier runs of its configuration: recovery rate and RTO p95, earlier and now. */
export function buildTrendRows(summary: Summary, history: readonly Summary[]) {
  return summary.scenarios.map((scenario) => {
    const earlier = history.filter((run) => run.runId !== summary.runId)
      .flatMap((run) => run.scenarios.filter((candidate) => candidate.id === scenario.id && candidate.configuration === scenario.configuration));
    const completed = earlier.reduce((sum, result) => sum + result.stats.completed, 0);
    const recovered = earlier.reduce((sum, result) => sum + result.stats.recovered, 0);
    const p95s = earlier.map((result) => result.stats.rtoMs?.p95).filter((value): value is number => value !== undefined && value !== null).sort((a, b) => a - b);
    const median = p95s.length === 0 ? null : p95s.length % 2 ? p95s[(p95s.length - 1) / 2]! : (p95s[p95s.length / 2 - 1]! + p95s[p95s.length / 2]!) / 2;
    return {
      scenario: scenario.id,
      configuration: scenario.configuration ?? '',
      earlierRuns: earlier.length,
      recoveryRate: completed === 0 ? '—' : `${recovered}/${completed} (${Math.round((100 * recovered) / completed)} %)`,
      medianRtoP95: median === null ? '—' : formatMs(median),
      nowRecovery: `${scenario.stats.recovered}/${scenario.stats.completed}`,
      nowRtoP95: scenario.stats.rtoMs ? formatMs(scenario.stats.rtoMs.p95) : '—',
    };
  });
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 10) / 100} s` : `${Math.round(ms)} ms`;
}

/** The section; null for a single run. */
export function buildTrendView(history: readonly Summary[], summary?: Summary) {
  if (history.length < 2) return null;
  const points = buildTrendPoints(history);
  const scenarios = new Set(points.map((point) => point.scenario)).size;
  const gaps = points.filter((point) => point.notRecovered > 0)
    .map((point) => ({ scenario: point.scenario, run: point.run, notRecovered: point.notRecovered }));
  return {
    runs: history.length,
    first: history[0]!.runId,
    last: history.at(-1)!.runId,
    order: history.map((summary, index) => ({ position: index + 1, runId: summary.runId })),
    gaps,
    folded: scenarios > TREND_SCENARIOS ? scenarios - TREND_SCENARIOS : 0,
    spec: points.length > 0 ? createTrendSpec(points) : undefined,
    rows: summary ? buildTrendRows(summary, history) : [],
  };
}
