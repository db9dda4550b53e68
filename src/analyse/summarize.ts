// Builds the summary of one scenario from its runs: stats, gate checks, FMEA figures.
import { relative } from 'node:path';
import { getActionPriority } from '../fmea/scoring/action-priority.js';
import { summarizeFigures } from '../measure/stats.js';
import type { Scenario } from '../scenario/types.js';
import { evaluateExpectations, getScenarioVerdict } from './gate.js';
import type { FmeaSummary, RunSummary, ScenarioSummary } from './summary-schema.js';

/** The FMEA row of a scenario with its RPN and Action Priority. */
export function summarizeFmea(scenario: Scenario): FmeaSummary | null {
  const fmea = scenario.fmea;
  if (!fmea) return null;
  const { severity, occurrence, detection } = fmea;
  return {
    id: fmea.id,
    component: fmea.component,
    failureMode: fmea.failureMode,
    effect: fmea.effect,
    cause: fmea.cause,
    severity,
    occurrence,
    detection,
    rpn: severity * occurrence * detection,
    ap: getActionPriority(severity, occurrence, detection),
  };
}

/** Summarises a scenario's runs into the shape summary.json promises. */
export function summarizeScenario(scenario: Scenario, runs: RunSummary[]): ScenarioSummary {
  const completed = runs.filter((run) => run.status === 'completed');
  const stats = {
    ttdMs: summarizeFigures(completed.map((run) => run.ttdMs)),
    rtoMs: summarizeFigures(completed.map((run) => run.rtoMs)),
    recovered: completed.filter((run) => run.recovered).length,
    completed: completed.length,
  };
  const checks = evaluateExpectations(scenario.expect, runs, stats);
  return {
    id: scenario.id,
    title: scenario.title,
    file: relative(process.cwd(), scenario.source.file) || scenario.source.file,
    verdict: getScenarioVerdict(runs, checks),
    fault: { ...scenario.fault },
    resolutionMs: Math.max(0, ...completed.map((run) => run.resolutionMs)),
    steadyStateProbes: scenario.steadyState.length,
    expect: { ...scenario.expect },
    checks,
    fmea: summarizeFmea(scenario),
    runs,
    stats,
  };
}
