// Recovery timelines: per scenario, each run from inject (t0) to detect and recover, with the target's own signals.
import type { TopLevelSpec } from 'vega-lite';
import type { RunSummary, ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import { pluralize } from '../../util/plural.js';
import { ACCENT } from '../charts/theme.js';
import { formatDuration, formatWithWindow, getToneClass, ZERO_TTD_REASON } from '../format.js';

/** Runs drawn per scenario; more are listed in the table but not drawn. */
export const TIMELINE_RUNS = 40;

const PHASES = ['detecting', 'recovering', 'not recovered'];
const PHASE_COLORS = [ACCENT.detect, ACCENT.recover, ACCENT.target];
const FAULTLINE_EVENTS = ['faultline: detected', 'faultline: recovered'];
// Markers: faultline's own first, then the target's signals; mid-tones with a white outline read on both themes.
const EVENT_COLORS = ['#7c3aed', '#0f9d58', '#fd7e14', '#d6409f', '#15aabf', '#8d6e63', '#a9e34b', '#f06595', '#5c7cfa', '#ced4da'];

/** One key shared by every timeline chart (charts carry no legends of their own: drawing them doubles the cost). */
export interface TimelineKey {
  phases: { name: string; color: string }[];
  events: { name: string; color: string }[];
}

/** The colours of phases and events, the same in every chart of the report. */
export function buildTimelineKey(summary: Summary): TimelineKey {
  const signals = new Set<string>();
  for (const scenario of summary.scenarios) for (const run of scenario.runs) for (const signal of run.targetSignals) signals.add(`target: ${signal.event}`);
  const events = [...FAULTLINE_EVENTS, ...[...signals].sort()];
  return {
    phases: PHASES.map((name, index) => ({ name, color: PHASE_COLORS[index]! })),
    events: events.map((name, index) => ({ name, color: EVENT_COLORS[index % EVENT_COLORS.length]! })),
  };
}

// Bars of one run: t0 → detect → recover, or t0 → timeout when it never recovered.
function getPhases(run: RunSummary, label: string) {
  const detect = run.ttdMs;
  if (!run.recovered) return [{ run: label, phase: 'not recovered', from: detect ?? 0, to: run.timeoutMs }, ...(detect ? [{ run: label, phase: 'detecting', from: 0, to: detect }] : [])];
  const rto = run.rtoMs ?? 0;
  return detect !== null && detect <= rto
    ? [{ run: label, phase: 'detecting', from: 0, to: detect }, { run: label, phase: 'recovering', from: detect, to: rto }]
    : [{ run: label, phase: 'recovering', from: 0, to: rto }];
}

/** A marker of a run's timeline: when, what, and the label lane it is drawn in ('bar' = on the bar, unlabelled). */
export interface TimelineMarker {
  run: string;
  at: number;
  event: string;
  lane: string;
  text: string;
}

/** Label lanes under each run's bar; markers that fit in none stay on the bar, unlabelled (the key names them). */
export const LABEL_LANES = ['label 1', 'label 2', 'label 3'];
const CHART_WIDTH = 660;
// A label's width in pixels at the chart's 10 px font, with its symbol and a gap.
const measureLabel = (text: string) => 16 + text.length * 5.6;

// "healer: repair" for a target signal; faultline's own keep their short name.
function nameSignal(event: string, component: string | undefined): string {
  return component ? `${component}: ${event}` : `target: ${event}`;
}

/**
 * Markers of one run, each given a label lane so that no two labels overlap at `pxPerMs`: the first marker of
 * each kind is labelled with its time; repeats, and markers for which no lane has room, stay on the bar.
 */
export function placeMarkers(run: RunSummary, label: string, origin: number, pxPerMs: number): TimelineMarker[] {
  const raw = [
    ...(run.ttdMs !== null ? [{ at: run.ttdMs, event: 'faultline: detected', name: 'detected' }] : []),
    ...(run.rtoMs !== null ? [{ at: run.rtoMs, event: 'faultline: recovered', name: 'recovered' }] : []),
    ...run.targetSignals.map((signal) => ({ at: signal.offsetMs, event: `target: ${signal.event}`, name: nameSignal(signal.event, signal.component) })),
  ].sort((a, b) => a.at - b.at);
  const seen = new Set<string>();
  const laneEnds = LABEL_LANES.map(() => Number.NEGATIVE_INFINITY);
  return raw.map((marker) => {
    const base = { run: label, at: marker.at, event: marker.event };
    if (seen.has(marker.name)) return { ...base, lane: 'bar', text: '' };
    const text = `${marker.name} ${formatDuration(marker.at)}`;
    const left = (marker.at - origin) * pxPerMs - 5;
    const right = left + measureLabel(text);
    const lane = right <= CHART_WIDTH + 40 ? laneEnds.findIndex((end) => end + 4 <= left) : -1;
    if (lane === -1) return { ...base, lane: 'bar', text: '' };
    seen.add(marker.name);
    laneEnds[lane] = right;
    return { ...base, lane: LABEL_LANES[lane]!, text };
  });
}

/** The timeline chart of one scenario's completed runs; undefined when none completed. */
export function createTimelineSpec(scenario: ScenarioSummary, key: TimelineKey): TopLevelSpec | undefined {
  const runs = scenario.runs.filter((run) => run.status === 'completed' && run.t0 !== null).slice(0, TIMELINE_RUNS);
  if (runs.length === 0) return undefined;
  const phases = runs.flatMap((run) => getPhases(run, `run ${run.index}`));
  const times = runs.flatMap((run) => [run.ttdMs ?? 0, run.rtoMs ?? 0, ...run.targetSignals.map((signal) => signal.offsetMs)]);
  const extent = Math.max(...phases.map((phase) => phase.to), ...times, 1);
  // The target is drawn only when it fits the runs' own scale; otherwise it would squash them to a dot.
  const target = scenario.expect.rtoMs !== undefined && scenario.expect.rtoMs <= extent * 1.5 ? scenario.expect.rtoMs : undefined;
  const domain = [Math.min(0, ...times), Math.max(extent, target ?? 0) * 1.04];
  const markers = runs.flatMap((run) => placeMarkers(run, `run ${run.index}`, domain[0]!, CHART_WIDTH / (domain[1]! - domain[0]!)));
  const lanes = ['bar', ...LABEL_LANES.filter((lane) => markers.some((marker) => marker.lane === lane))];
  const y = { field: 'run', type: 'nominal', title: 'Run', sort: runs.map((run) => `run ${run.index}`) } as const;
  const yOffset = { field: 'lane', type: 'nominal', scale: { domain: lanes, paddingInner: 0 } } as const;
  const x = { type: 'quantitative', title: 'ms after the fault took effect (t0 = 0)', scale: { domain, nice: false, zero: false } } as const;
  return {
    title: { text: `Recovery timeline: ${scenario.id}`, anchor: 'start' },
    description: `Recovery timeline of ${scenario.id}: inject, detect and recover per run, with the target’s own signals, labelled`,
    width: CHART_WIDTH,
    height: runs.length * lanes.length * 15,
    layer: [
      {
        data: { values: phases.map((phase) => ({ ...phase, lane: 'bar' })) },
        mark: { type: 'bar', height: 9 },
        encoding: {
          y, yOffset, x: { ...x, field: 'from' }, x2: { field: 'to' },
          color: { field: 'phase', type: 'nominal', legend: null, scale: { domain: key.phases.map((phase) => phase.name), range: key.phases.map((phase) => phase.color) } },
        },
      },
      {
        data: { values: markers },
        layer: [
          {
            mark: { type: 'point', filled: true, size: 56, stroke: '#ffffff', strokeWidth: 1, opacity: 1 },
            encoding: {
              y, yOffset, x: { ...x, field: 'at' },
              color: { field: 'event', type: 'nominal', legend: null, scale: { domain: key.events.map((event) => event.name), range: key.events.map((event) => event.color) } },
            },
          },
          {
            transform: [{ filter: "datum.text !== ''" }],
            mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, fontSize: 10, color: '#344054' },
            encoding: { y, yOffset, x: { ...x, field: 'at' }, text: { field: 'text' } },
          },
        ],
      },
      ...(target !== undefined ? [{
        data: { values: [{ target }] },
        mark: { type: 'rule', color: ACCENT.target, strokeDash: [4, 3] as number[] },
        encoding: { x: { ...x, field: 'target' } },
      } as const] : []),
    ],
    resolve: { scale: { color: 'independent' } },
  } as TopLevelSpec;
}

// Under the chart: runs left out, and a target too far right to draw.
function describeCaption(scenario: ScenarioSummary): string {
  const parts: string[] = [];
  if (scenario.runs.length > TIMELINE_RUNS) parts.push(`The chart shows the first ${TIMELINE_RUNS} of ${scenario.runs.length} runs.`);
  const target = scenario.expect.rtoMs;
  const latest = Math.max(0, ...scenario.runs.map((run) => (run.recovered ? run.rtoMs ?? 0 : run.timeoutMs)));
  if (target !== undefined && target > latest * 1.5) parts.push(`RTO target ${formatDuration(target)}: every run ended well inside it, so it is off the scale.`);
  return parts.join(' ');
}

// "3 runs · 3 recovered · RTO p95 150.8 ms", the folded scenario's one line.
function describeLine(scenario: ScenarioSummary): string {
  const { completed, recovered, rtoMs } = scenario.stats;
  return [
    pluralize(scenario.runs.length, 'run'),
    completed === recovered ? `${recovered} recovered` : `${recovered} of ${completed} recovered`,
    rtoMs ? `RTO p95 ${formatDuration(rtoMs.p95)}` : '',
  ].filter(Boolean).join(' · ');
}

// A run's row in the table under the chart.
function viewRun(run: RunSummary) {
  const recovered = run.status === 'completed' ? (run.recovered ? 'yes' : 'no') : run.status;
  const rollback = run.rollback ? (run.rollback.ok ? 'verified' : `FAILED: ${run.rollback.detail}`) : '—';
  return {
    index: run.index,
    recovered,
    tone: getToneClass(recovered),
    reason: run.reason ?? '',
    ttd: run.ttdMs === null ? (run.status === 'completed' ? 'not detected' : '—') : formatWithWindow(run.ttdMs, run.ttdResolutionMs ?? run.resolutionMs, { zeroReason: ZERO_TTD_REASON }),
    rto: run.recovered ? formatWithWindow(run.rtoMs, run.rtoResolutionMs ?? run.resolutionMs) : run.status === 'completed' ? `not recovered within ${formatDuration(run.timeoutMs)}` : '—',
    inject: run.inject ? formatDuration(run.inject.durationMs) : '',
    detectedBy: run.detectedBy ?? (run.status === 'completed' ? 'no probe noticed it' : '—'),
    rollback,
    rollbackTone: run.rollback ? (run.rollback.ok ? 'ok' : 'bad') : 'muted',
    signalsLine: pluralize(run.targetSignals.length, 'signal'),
    signals: run.targetSignals.map((signal) => [formatDuration(signal.offsetMs), signal.event, signal.component, signal.subject, signal.detail].filter(Boolean).join(' · ')),
  };
}

/** The section: one entry per scenario, with its chart key and run table. */
export function buildTimelineView(summary: Summary) {
  const specs: Record<string, TopLevelSpec | undefined> = {};
  const legend = buildTimelineKey(summary);
  const scenarios = summary.scenarios.map((scenario, index) => {
    const key = `timeline${index}`;
    specs[key] = createTimelineSpec(scenario, legend);
    return {
      key, id: scenario.id, title: scenario.title, fault: scenario.fault.type,
      verdict: scenario.verdict, tone: getToneClass(scenario.verdict),
      runs: scenario.runs.map(viewRun),
      hasInject: scenario.runs.some((run) => run.inject),
      caption: describeCaption(scenario),
      // Scenarios that passed fold away; the ones a reader must look at stay open.
      open: scenario.verdict !== 'pass',
      line: describeLine(scenario),
    };
  });
  return { scenarios, specs, legend };
}
