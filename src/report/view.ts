// Shapes the summary into what the report template shows: formatted figures, classes, labels.
import type { RunSummary, ScenarioSummary, Summary } from '../analyse/summary-schema.js';

/** Formats milliseconds for people: "312.4 ms", "4.20 s", "—". */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  if (ms < 1000) return `${ms.toFixed(1)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

function viewRun(run: RunSummary) {
  return {
    index: run.index,
    status: run.status,
    recovered: run.status === 'completed' ? (run.recovered ? 'yes' : 'no') : run.status,
    recoveredClass: run.status !== 'completed' ? 'warn' : run.recovered ? 'ok' : 'bad',
    ttd: formatDuration(run.ttdMs),
    rto: formatDuration(run.rtoMs),
    resolution: `± ${formatDuration(run.resolutionMs)}`,
    detectedBy: run.detectedBy ?? (run.status === 'completed' ? 'not detected' : '—'),
    rollback: run.rollback ? (run.rollback.ok ? 'verified' : `FAILED: ${run.rollback.detail}`) : '—',
    rollbackClass: run.rollback && !run.rollback.ok ? 'bad' : '',
    reason: run.reason,
    signals: run.targetSignals.map((signal) => `${signal.event} ${signal.component ?? ''} ${signal.subject ?? ''} at ${formatDuration(signal.offsetMs)}`.replace(/\s+/g, ' ')),
  };
}

function viewScenario(scenario: ScenarioSummary) {
  return {
    ...scenario,
    verdictClass: scenario.verdict === 'pass' ? 'ok' : scenario.verdict === 'fail' ? 'bad' : 'warn',
    runs: scenario.runs.map(viewRun),
    ttd: scenario.stats.ttdMs ? `${formatDuration(scenario.stats.ttdMs.p50)} / ${formatDuration(scenario.stats.ttdMs.p95)} / ${formatDuration(scenario.stats.ttdMs.max)}` : '—',
    rto: scenario.stats.rtoMs ? `${formatDuration(scenario.stats.rtoMs.p50)} / ${formatDuration(scenario.stats.rtoMs.p95)} / ${formatDuration(scenario.stats.rtoMs.max)}` : '—',
    faultLabel: scenario.fault.type,
  };
}

/** The template's view model. */
export function buildReportView(summary: Summary) {
  const scenarios = summary.scenarios.map(viewScenario);
  const rows = scenarios.filter((s) => s.fmea).sort((a, b) => b.fmea!.rpn - a.fmea!.rpn);
  return {
    summary,
    verdictClass: summary.verdict === 'pass' ? 'ok' : summary.verdict === 'fail' ? 'bad' : 'warn',
    scenarios,
    fmeaRows: rows,
    counts: {
      scenarios: scenarios.length,
      passed: scenarios.filter((s) => s.verdict === 'pass').length,
      runs: summary.scenarios.reduce((n, s) => n + s.runs.length, 0),
    },
    duration: formatDuration(summary.durationMs),
  };
}
