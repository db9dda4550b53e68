// Scenarios per verdict, and the one line that says them ("16 passed · 3 known gaps").
import type { ScenarioSummary, VerdictCounts } from './summary-schema.js';
import { pluralize } from '../util/plural.js';

/** Counts scenarios per verdict (for summaries written before `counts` existed). */
export function countVerdicts(scenarios: readonly Pick<ScenarioSummary, 'verdict'>[]): VerdictCounts {
  const count = (verdict: string) => scenarios.filter((scenario) => scenario.verdict === verdict).length;
  return {
    scenarios: scenarios.length, passed: count('pass'), failed: count('fail'), knownGaps: count('known-gap'),
    skipped: count('skipped'), aborted: count('aborted'), errors: count('error'),
  };
}

/** "16 passed · 3 known gaps": every non-zero count, passed first; "no scenarios" when there are none. */
export function formatVerdictCounts(counts: VerdictCounts): string {
  const parts = [
    counts.passed > 0 ? `${counts.passed} passed` : '',
    counts.failed > 0 ? `${counts.failed} failed` : '',
    counts.knownGaps > 0 ? pluralize(counts.knownGaps, 'known gap') : '',
    counts.skipped > 0 ? `${counts.skipped} skipped` : '',
    counts.aborted > 0 ? `${counts.aborted} aborted` : '',
    counts.errors > 0 ? pluralize(counts.errors, 'error') : '',
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(' · ') : 'no scenarios';
}
