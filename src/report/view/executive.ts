// The executive summary: verdict, failure modes by AP, the worst RTO against its target, data lost.
import type { ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import type { ScoredWorksheet } from '../../fmea/index.js';
import { formatDuration, getToneClass } from '../format.js';
import { pluralize } from '../../util/plural.js';
import { countByAp } from './worksheet.js';

const VERDICT_WORDS: Record<Summary['verdict'], string> = {
  pass: 'Every expectation was met',
  fail: 'Expectations were not met',
  aborted: 'The run was aborted before everything was measured',
  'rollback-failed': 'A rollback could not be verified: the system may still be changed (run `faultline recover`)',
};

/** The scenario whose RTO is furthest over (or closest to) its target; a run that never recovered ranks first. */
export function findWorstRto(scenarios: readonly ScenarioSummary[]) {
  let worst: { scenario: ScenarioSummary; score: number; text: string; met: boolean | null } | undefined;
  for (const scenario of scenarios) {
    const completed = scenario.runs.filter((run) => run.status === 'completed');
    if (completed.length === 0) continue;
    const unrecovered = completed.filter((run) => !run.recovered).length;
    const target = scenario.expect.rtoMs;
    const p95 = scenario.stats.rtoMs?.p95;
    const targetText = target !== undefined ? ` against a ${formatDuration(target)} target` : ' (no target set)';
    const candidate = unrecovered > 0
      ? { scenario, score: Number.POSITIVE_INFINITY, text: `not recovered in ${unrecovered} of ${pluralize(completed.length, 'run')}${targetText}`, met: false }
      : { scenario, score: target ? p95! / target : p95! / 1e9, text: `p95 ${formatDuration(p95)}${targetText}`, met: target === undefined ? null : p95! <= target };
    if (!worst || candidate.score > worst.score) worst = candidate;
  }
  return worst && { id: worst.scenario.id, title: worst.scenario.title, text: worst.text, tone: worst.met === null ? 'muted' : worst.met ? 'ok' : 'bad' };
}

/** Canaries lost over every run, or null when no scenario measured data loss. */
export function sumDataLoss(scenarios: readonly ScenarioSummary[]) {
  const runs = scenarios.flatMap((scenario) => scenario.runs).filter((run) => run.dataLoss);
  if (runs.length === 0) return null;
  const lost = runs.reduce((sum, run) => sum + run.dataLoss!.lost, 0);
  const sent = runs.reduce((sum, run) => sum + run.dataLoss!.sent, 0);
  return { lost, sent, runs: runs.length, tone: lost > 0 ? 'bad' : 'ok' };
}

/** The executive summary section. */
export function buildExecutiveView(summary: Summary, scored: ScoredWorksheet) {
  const scenarios = summary.scenarios;
  const passed = scenarios.filter((scenario) => scenario.verdict === 'pass').length;
  const runs = scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0);
  const findings = scenarios.flatMap((scenario) => [
    ...scenario.checks.filter((check) => check.status !== 'met').map((check) => ({
      title: scenario.title, id: scenario.id, text: `${check.name}: expected ${check.expected}; measured ${check.measured}`, tone: getToneClass(check.status),
    })),
    ...scenario.runs.filter((run) => run.status !== 'completed' || (run.rollback && !run.rollback.ok)).map((run) => ({
      title: scenario.title, id: scenario.id, text: `run ${run.index} ${run.status}${run.rollback && !run.rollback.ok ? `; rollback failed: ${run.rollback.detail}` : ''}${run.reason ? `: ${run.reason}` : ''}`, tone: 'bad',
    })),
  ]);
  return {
    verdict: summary.verdict,
    verdictText: VERDICT_WORDS[summary.verdict] ?? summary.verdict,
    tone: getToneClass(summary.verdict === 'rollback-failed' ? 'fail' : summary.verdict),
    passed,
    scenarios: scenarios.length,
    runs,
    duration: formatDuration(summary.durationMs),
    gate: summary.options.gate,
    heal: summary.options.heal,
    analystAp: countByAp(scored.rows.map((entry) => entry.analyst)),
    measuredAp: countByAp(scored.rows.map((entry) => entry.measured)),
    failureModes: scored.rows.length,
    measuredModes: scored.rows.filter((entry) => entry.measured).length,
    worstRto: findWorstRto(scenarios),
    dataLoss: sumDataLoss(scenarios),
    findings,
  };
}
