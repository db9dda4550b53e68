// Why a scenario got its verdict, in short sentences every output prints (terminal, summary.md, JUnit, HTML).
import type { Expect } from '../scenario/types.js';
import { pluralize } from '../util/plural.js';
import type { Check, RunSummary, ScenarioVerdict } from './summary-schema.js';

/** The reasons behind a verdict: expectations not met, the runs' own reasons (deduplicated), and what a known gap or a stale gap means. */
export function getScenarioReasons(verdict: ScenarioVerdict, runs: readonly RunSummary[], checks: readonly Check[], expect: Expect = {}): string[] {
  const reasons: string[] = [];
  const completed = runs.filter((run) => run.status === 'completed');
  const unrecovered = completed.filter((run) => !run.recovered).length;
  if (verdict === 'known-gap') {
    reasons.push(`known gap: ${unrecovered} of ${pluralize(completed.length, 'run')} did not recover, as the scenario documents (expect.recovered: false)`);
  }
  if (verdict === 'pass' && expect.recovered === false && completed.length > 0) {
    reasons.push(`the documented gap did not show: every run recovered although expect.recovered is false (update the scenario)`);
  }
  for (const check of checks) {
    if (check.status === 'not met') reasons.push(`${check.name}: expected ${check.expected}; measured ${check.measured}`);
  }
  // The runs' reasons, each once, with the runs it applies to ("runs 2–3: target left broken by x run 1").
  const byReason = new Map<string, number[]>();
  for (const run of runs) {
    if (!run.reason) continue;
    byReason.set(run.reason, [...(byReason.get(run.reason) ?? []), run.index]);
  }
  for (const [reason, indexes] of byReason) reasons.push(`${formatRunList(indexes)}: ${reason}`);
  const rollbackFailed = runs.filter((run) => run.rollback !== null && !run.rollback.ok);
  for (const run of rollbackFailed) reasons.push(`run ${run.index}: rollback failed: ${run.rollback!.detail}`);
  return reasons;
}

// [1] → "run 1"; [2, 3] → "runs 2–3"; [1, 3] → "runs 1, 3".
function formatRunList(indexes: readonly number[]): string {
  if (indexes.length === 1) return `run ${indexes[0]}`;
  const consecutive = indexes.every((index, position) => position === 0 || index === indexes[position - 1]! + 1);
  return consecutive ? `runs ${indexes[0]}–${indexes.at(-1)}` : `runs ${indexes.join(', ')}`;
}
