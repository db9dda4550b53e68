// Builds the summary of one scenario from its runs: stats, gate checks, FMEA figures.
import { relative } from 'node:path';
import { getActionPriority } from '../fmea/scoring/action-priority.js';
import { computeRpn } from '../fmea/scoring/rpn.js';
import { summarizeFigures } from '../measure/stats.js';
import type { Scenario } from '../scenario/types.js';
import { evaluateExpectations, getScenarioVerdict } from './gate.js';
import { getScenarioReasons } from './scenario-reasons.js';
import type { FmeaSummary, RunSummary, ScenarioSummary } from './summary-schema.js';
import type { ScenarioHead } from '../events/types.js';

/** The FMEA row of a scenario with its RPN and Action Priority. */
export function summarizeFmea(scenario: Scenario): FmeaSummary | null {
  const fmea = scenario.fmea;
  if (!fmea) return null;
  const { severity, occurrence, detection } = fmea;
  // The worksheet's own columns travel with the row, word for word, so the report keeps them.
  const optional = Object.fromEntries((['function', 'preventionControls', 'detectionControls', 'recommendedAction', 'owner', 'status', 'source'] as const)
    .filter((key) => fmea[key] !== undefined && fmea[key] !== '')
    .map((key) => [key, fmea[key]]));
  return {
    id: fmea.id,
    component: fmea.component,
    failureMode: fmea.failureMode,
    effect: fmea.effect,
    cause: fmea.cause,
    severity,
    occurrence,
    detection,
    rpn: computeRpn(severity, occurrence, detection),
    ap: getActionPriority(severity, occurrence, detection),
    ...optional,
  };
}

/** Resolutions, the target's own figures and canary totals over the completed runs. */
export function summarizeMeasurement(completed: readonly RunSummary[]): Pick<ScenarioSummary['stats'], 'ttdResolutionMs' | 'rtoResolutionMs' | 'targetTtdMs' | 'targetRtoMs' | 'dataLoss'> {
  const widest = (values: (number | null | undefined)[]) => {
    const known = values.filter((value): value is number => typeof value === 'number');
    return known.length > 0 ? Math.max(...known) : null;
  };
  const losses = completed.map((run) => run.dataLoss).filter((loss) => loss !== null);
  return {
    ttdResolutionMs: widest(completed.map((run) => run.ttdResolutionMs)),
    rtoResolutionMs: widest(completed.map((run) => run.rtoResolutionMs)),
    targetTtdMs: summarizeFigures(completed.map((run) => run.targetTtdMs)),
    targetRtoMs: summarizeFigures(completed.map((run) => run.targetRtoMs)),
    dataLoss: losses.length === 0 ? null : {
      lost: losses.reduce((sum, loss) => sum + loss.lost, 0),
      sent: losses.reduce((sum, loss) => sum + loss.sent, 0),
      rejected: losses.reduce((sum, loss) => sum + (loss.rejected ?? 0), 0),
    },
  };
}

/** The parts of a scenario's summary known before it runs (carried by its scenario.start event, so a fold can rebuild the summary). */
export function describeScenarioHead(scenario: Scenario): ScenarioHead {
  return {
    id: scenario.id,
    title: scenario.title,
    file: relative(process.cwd(), scenario.source.file) || scenario.source.file,
    fault: { ...scenario.fault },
    steadyStateProbes: scenario.steadyState.length,
    expect: { ...scenario.expect },
    fmea: summarizeFmea(scenario),
    ...(scenario.claims && scenario.claims.length > 0 ? { claims: [...scenario.claims] } : {}),
  };
}

/** Summarises a scenario's runs into the shape summary.json promises; `configuration` names the target set-up they measured. */
export function summarizeScenario(scenario: Scenario, runs: RunSummary[], options: { configuration?: string } = {}): ScenarioSummary {
  return summarizeScenarioHead(describeScenarioHead(scenario), runs, options);
}

/** The same from a scenario's head (what its scenario.start event carries) and its runs. */
export function summarizeScenarioHead(head: ScenarioHead, runs: RunSummary[], options: { configuration?: string } = {}): ScenarioSummary {
  const completed = runs.filter((run) => run.status === 'completed');
  const stats = {
    ttdMs: summarizeFigures(completed.map((run) => run.ttdMs)),
    rtoMs: summarizeFigures(completed.map((run) => run.rtoMs)),
    recovered: completed.filter((run) => run.recovered).length,
    completed: completed.length,
    ...summarizeMeasurement(completed),
  };
  const checks = evaluateExpectations(head.expect, runs, stats);
  const verdict = getScenarioVerdict(runs, checks, head.expect);
  return {
    id: head.id,
    title: head.title,
    file: head.file,
    verdict,
    reasons: getScenarioReasons(verdict, runs, checks, head.expect),
    ...(options.configuration ? { configuration: options.configuration } : {}),
    fault: { ...head.fault },
    resolutionMs: Math.max(0, ...completed.map((run) => run.resolutionMs)),
    steadyStateProbes: head.steadyStateProbes,
    expect: { ...head.expect },
    checks,
    fmea: head.fmea,
    ...(head.claims && head.claims.length > 0 ? { claims: [...head.claims] } : {}),
    runs,
    stats,
  };
}
