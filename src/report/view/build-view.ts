// Assembles the report's view model, section by section, and the chart specs it needs drawn.
import type { TopLevelSpec } from 'vega-lite';
import { getToneClass } from '../format.js';
import type { ReportInput } from '../report-input.js';
import { buildClaimsView } from './claims.js';
import { buildConfigurationsView } from './configurations.js';
import { buildDataLossView } from './data-loss.js';
import { buildEnvironmentView } from './environment.js';
import { buildExecutiveView } from './executive.js';
import { buildNotesView } from './journal-notes.js';
import { buildParetoBars, createParetoSpec } from './pareto.js';
import { buildMatrixCells, createRiskMatrixSpec } from './risk-matrix.js';
import { buildSignOffView } from './sign-off.js';
import { buildSystemUnderTestView } from './system-under-test.js';
import { buildTimelineView } from './timeline.js';
import { buildTimingView } from './timing.js';
import { buildTrendView } from './trend.js';
import { computeResilienceScore } from './resilience-score.js';
import { buildWorksheetView, scoreReportWorksheet } from './worksheet.js';

/** The view model of the HTML report and the vega-lite specs to render into it, by name. */
export function buildReportView(input: ReportInput) {
  const { summary } = input;
  const scored = scoreReportWorksheet(input);
  const timing = buildTimingView(summary);
  const timelines = buildTimelineView(summary);
  const trend = buildTrendView(input.history, summary);
  const resilience = computeResilienceScore(summary, input.history, input.generatedAt);
  const pareto = buildParetoBars(scored);
  const measuredRows = scored.rows.filter((entry) => entry.measured).length;
  const specs: Record<string, TopLevelSpec | undefined> = {
    riskMatrix: scored.rows.length > 0 ? createRiskMatrixSpec(buildMatrixCells(scored)) : undefined,
    riskMatrixMeasured: measuredRows > 0 ? createRiskMatrixSpec(buildMatrixCells(scored, true), 'Risk matrix (measured ratings)') : undefined,
    pareto: pareto.length > 0 ? createParetoSpec(pareto) : undefined,
    ttd: timing.specs.ttd,
    rto: timing.specs.rto,
    trend: trend?.spec,
    ...timelines.specs,
  };
  const view = {
    title: `Resilience assessment ${summary.runId}`,
    runId: summary.runId,
    version: summary.environment.faultline,
    verdict: summary.verdict,
    // A pass with known gaps is not green: something did not recover, even if it was accepted.
    verdictTone: summary.verdict === 'pass' && summary.scenarios.some((scenario) => scenario.verdict === 'known-gap') ? 'warn' : getToneClass(summary.verdict === 'rollback-failed' ? 'fail' : summary.verdict),
    executive: buildExecutiveView(summary, scored),
    worksheet: buildWorksheetView(scored),
    pareto: { bars: pareto.length, folded: scored.rows.length > pareto.length },
    timing: { rows: timing.rows, notRecovered: timing.notRecovered, notDetected: timing.notDetected },
    matrix: { measuredRows, rows: scored.rows.length },
    timelines: timelines.scenarios,
    timelineKey: timelines.legend,
    dataLoss: buildDataLossView(summary),
    configurations: buildConfigurationsView(input.history),
    claims: buildClaimsView(summary, scored, input),
    trend,
    resilience,
    environment: buildEnvironmentView(input),
    system: buildSystemUnderTestView(summary),
    signOff: buildSignOffView(input),
    notes: buildNotesView(summary, input.journal, input.notes),
  };
  return { view, specs };
}

/** The view model's type, for the renderer. */
export type ReportView = ReturnType<typeof buildReportView>['view'];
