// Data loss (RPO) per scenario: canaries sent and lost in each run, and when the lost ones were written.
import type { RunSummary, Summary } from '../../analyse/summary-schema.js';
import { formatDuration, getToneClass } from '../format.js';

// "written 120 ms – 1.20 s after t0": the window the lost canaries fall in, i.e. the RPO of the run.
function describeWindow(run: RunSummary): string {
  const window = run.dataLoss?.window;
  if (!window) return run.dataLoss && run.dataLoss.lost > 0 ? 'window not recorded' : '—';
  return `${formatDuration(window.fromMs)} – ${formatDuration(window.toMs)} after t0 (${formatDuration(window.toMs - window.fromMs)})`;
}

/** The section: one row per scenario that has canaries, and the scenarios that measure nothing. */
export function buildDataLossView(summary: Summary) {
  const rows = summary.scenarios.filter((scenario) => scenario.runs.some((run) => run.dataLoss)).map((scenario) => {
    const measured = scenario.runs.filter((run) => run.dataLoss);
    const lost = measured.reduce((sum, run) => sum + run.dataLoss!.lost, 0);
    const sent = measured.reduce((sum, run) => sum + run.dataLoss!.sent, 0);
    const check = scenario.checks.find((candidate) => candidate.name === 'dataLoss');
    return {
      id: scenario.id,
      title: scenario.title,
      expected: scenario.expect.dataLoss === undefined ? '—' : `≤ ${scenario.expect.dataLoss} lost`,
      lost, sent,
      worst: Math.max(...measured.map((run) => run.dataLoss!.lost)),
      status: check?.status ?? (lost > 0 ? 'lost' : 'none lost'),
      tone: check ? getToneClass(check.status) : lost > 0 ? 'bad' : 'ok',
      runs: measured.map((run) => ({ index: run.index, lost: run.dataLoss!.lost, sent: run.dataLoss!.sent, window: describeWindow(run), tone: run.dataLoss!.lost > 0 ? 'bad' : 'ok' })),
    };
  });
  const unmeasured = summary.scenarios.filter((scenario) => !scenario.runs.some((run) => run.dataLoss)).map((scenario) => scenario.id);
  return { rows, unmeasured, any: rows.length > 0 };
}
