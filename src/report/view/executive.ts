// The executive summary: verdict, failure modes by AP, the worst RTO against its target, data lost.
import type { ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import type { ScoredWorksheet } from '../../fmea/index.js';
import { formatDuration, getToneClass } from '../format.js';
import { pluralize } from '../../util/plural.js';
import { describeHealing, describeTargets } from './system-under-test.js';
import { countByAp } from './worksheet.js';
import { countVerdicts, formatVerdictCounts } from '../../analyse/verdict-counts.js';

const CHECK_NAMES: Record<string, string> = { recovered: 'recovers on its own', ttdMs: 'TTD', rtoMs: 'RTO', dataLoss: 'data loss' };

const VERDICT_WORDS: Record<Summary['verdict'], string> = {
  pass: 'Every expectation was met',
  fail: 'Expectations were not met',
  aborted: 'The run was aborted before everything was measured',
  'rollback-failed': 'A rollback could not be verified: the system may still be changed (run `faultline recover`)',
};

/**
 * The longest recovery: runs that never recovered come first (their RTO is longer than any measured one),
 * else the longest measured RTO of any run, with its scenario's target.
 */
export function findWorstRto(scenarios: readonly ScenarioSummary[]) {
  const unrecovered = scenarios.map((scenario) => ({ scenario, completed: scenario.runs.filter((run) => run.status === 'completed') }))
    .map((entry) => ({ ...entry, missing: entry.completed.filter((run) => !run.recovered).length }))
    .filter((entry) => entry.missing > 0);
  if (unrecovered.length > 0) {
    const runs = unrecovered.reduce((sum, entry) => sum + entry.missing, 0);
    const first = unrecovered[0]!;
    const others = unrecovered.length > 1 ? ` (and ${pluralize(unrecovered.length - 1, 'other scenario')})` : '';
    return { id: first.scenario.id, title: `${first.scenario.title}${others}`, text: `${pluralize(runs, 'run')} never recovered`, tone: unrecovered.every((entry) => entry.scenario.verdict === 'known-gap') ? 'warn' : 'bad' };
  }
  let worst: { scenario: ScenarioSummary; rto: number } | undefined;
  for (const scenario of scenarios) {
    for (const run of scenario.runs) if (run.rtoMs !== null && (!worst || run.rtoMs > worst.rto)) worst = { scenario, rto: run.rtoMs };
  }
  if (!worst) return undefined;
  const target = worst.scenario.expect.rtoMs;
  return {
    id: worst.scenario.id,
    title: worst.scenario.title,
    text: `${formatDuration(worst.rto)}${target !== undefined ? ` against a ${formatDuration(target)} target` : ' (no target set)'}`,
    tone: target === undefined ? 'muted' : worst.rto <= target ? 'ok' : 'bad',
  };
}

/** Canaries lost over every run, or null when no scenario measured data loss. */
export function sumDataLoss(scenarios: readonly ScenarioSummary[]) {
  const runs = scenarios.flatMap((scenario) => scenario.runs).filter((run) => run.dataLoss);
  if (runs.length === 0) return null;
  const lost = runs.reduce((sum, run) => sum + run.dataLoss!.lost, 0);
  const sent = runs.reduce((sum, run) => sum + run.dataLoss!.sent, 0);
  return { lost, sent, runs: runs.length, runsLine: pluralize(runs.length, 'run'), tone: lost > 0 ? 'bad' : 'ok' };
}

/** The executive summary section. */
export function buildExecutiveView(summary: Summary, scored: ScoredWorksheet) {
  const scenarios = summary.scenarios;
  const counts = summary.counts ?? countVerdicts(scenarios);
  const runs = scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0);
  const findings = scenarios.flatMap((scenario) => [
    ...(scenario.reasons ?? []).map((reason) => ({ title: scenario.title, id: scenario.id, text: reason, tone: getToneClass(scenario.verdict) })),
    ...scenario.checks.filter((check) => check.status !== 'met').map((check) => ({
      title: scenario.title, id: scenario.id, text: `${CHECK_NAMES[check.name] ?? check.name}: expected ${check.expected}; measured ${check.measured}`, tone: getToneClass(check.status),
    })),
    ...scenario.runs.filter((run) => run.status !== 'completed' || (run.rollback && !run.rollback.ok)).map((run) => ({
      title: scenario.title, id: scenario.id, text: `run ${run.index} ${run.status}${run.rollback && !run.rollback.ok ? `; rollback failed: ${run.rollback.detail}` : ''}${run.reason ? `: ${run.reason}` : ''}`, tone: 'bad',
    })),
  ]);
  return {
    verdict: summary.verdict,
    verdictText: `${VERDICT_WORDS[summary.verdict] ?? summary.verdict}${counts.knownGaps > 0 ? `; ${pluralize(counts.knownGaps, 'known gap')} (failure modes that do not recover, accepted and documented, not passed)` : ''}`,
    tone: summary.verdict === 'pass' && counts.knownGaps > 0 ? 'warn' : getToneClass(summary.verdict === 'rollback-failed' ? 'fail' : summary.verdict),
    counts: formatVerdictCounts(counts),
    knownGaps: counts.knownGaps,
    scenarios: pluralize(scenarios.length, 'scenario'),
    runs: pluralize(runs, 'run'),
    duration: formatDuration(summary.durationMs),
    gate: summary.options.gate,
    healing: describeHealing(describeTargets(summary)),
    analystAp: countByAp(scored.rows.map((entry) => entry.analyst)),
    measuredAp: countByAp(scored.rows.map((entry) => entry.measured)),
    failureModes: pluralize(scored.rows.length, 'failure mode'),
    measuredModes: scored.rows.filter((entry) => entry.measured).length,
    worstRto: findWorstRto(scenarios),
    dataLoss: sumDataLoss(scenarios),
    findings,
  };
}
