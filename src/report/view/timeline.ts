// Recovery timelines: per scenario, each run from inject (t0) to detect and recover, with the target's own signals.
import type { TopLevelSpec } from 'vega-lite';
import type { RunSummary, ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import { ACCENT } from '../charts/theme.js';
import { formatDuration, formatWithResolution, getToneClass } from '../format.js';

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

// Markers of one run: faultline's detect and recover, and every signal the target logged itself.
function getMarkers(run: RunSummary, label: string) {
  return [
    ...(run.ttdMs !== null ? [{ run: label, at: run.ttdMs, event: 'faultline: detected' }] : []),
    ...(run.rtoMs !== null ? [{ run: label, at: run.rtoMs, event: 'faultline: recovered' }] : []),
    ...run.targetSignals.map((signal) => ({ run: label, at: signal.offsetMs, event: `target: ${signal.event}` })),
  ];
}

/** The timeline chart of one scenario's completed runs; undefined when none completed. */
export function createTimelineSpec(scenario: ScenarioSummary, key: TimelineKey): TopLevelSpec | undefined {
  const runs = scenario.runs.filter((run) => run.status === 'completed' && run.t0 !== null).slice(0, TIMELINE_RUNS);
  if (runs.length === 0) return undefined;
  const phases = runs.flatMap((run) => getPhases(run, `run ${run.index}`));
  const markers = runs.flatMap((run) => getMarkers(run, `run ${run.index}`));
  const y = { field: 'run', type: 'nominal', title: null, sort: runs.map((run) => `run ${run.index}`) } as const;
  const xTitle = 'ms after the fault took effect (t0 = 0)';
  // The target is drawn only when it fits the runs' own scale; otherwise it would squash them to a dot.
  const extent = Math.max(...phases.map((phase) => phase.to), ...markers.map((marker) => marker.at), 1);
  const target = scenario.expect.rtoMs !== undefined && scenario.expect.rtoMs <= extent * 1.5 ? scenario.expect.rtoMs : undefined;
  return {
    description: 'Recovery timeline: inject, detect and recover per run, with the target’s own signals',
    width: 720,
    height: { step: 24 },
    layer: [
      {
        data: { values: phases },
        mark: { type: 'bar', height: 10 },
        encoding: {
          y, x: { field: 'from', type: 'quantitative', title: xTitle }, x2: { field: 'to' },
          color: { field: 'phase', type: 'nominal', legend: null, scale: { domain: key.phases.map((phase) => phase.name), range: key.phases.map((phase) => phase.color) } },
        },
      },
      {
        data: { values: markers },
        mark: { type: 'point', filled: true, size: 64, stroke: '#ffffff', strokeWidth: 1, opacity: 1 },
        encoding: {
          y, x: { field: 'at', type: 'quantitative', title: xTitle },
          color: { field: 'event', type: 'nominal', legend: null, scale: { domain: key.events.map((event) => event.name), range: key.events.map((event) => event.color) } },
        },
      },
      ...(target !== undefined ? [{
        data: { values: [{ target }] },
        mark: { type: 'rule', color: ACCENT.target, strokeDash: [4, 3] as number[] },
        encoding: { x: { field: 'target', type: 'quantitative', title: xTitle } },
      } as const] : []),
    ],
    resolve: { scale: { color: 'independent' } },
  };
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

// A run's row in the table under the chart.
function viewRun(run: RunSummary) {
  const recovered = run.status === 'completed' ? (run.recovered ? 'yes' : 'no') : run.status;
  const rollback = run.rollback ? (run.rollback.ok ? 'verified' : `FAILED: ${run.rollback.detail}`) : '—';
  return {
    index: run.index,
    recovered,
    tone: getToneClass(recovered),
    reason: run.reason ?? '',
    ttd: formatWithResolution(run.ttdMs, run.ttdMs === null ? null : run.resolutionMs),
    rto: run.recovered ? formatWithResolution(run.rtoMs, run.resolutionMs) : run.status === 'completed' ? `> ${formatDuration(run.timeoutMs)}` : '—',
    detectedBy: run.detectedBy ?? (run.status === 'completed' ? 'no probe noticed it' : '—'),
    rollback,
    rollbackTone: run.rollback ? (run.rollback.ok ? 'ok' : 'bad') : 'muted',
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
      caption: describeCaption(scenario),
    };
  });
  return { scenarios, specs, legend };
}
