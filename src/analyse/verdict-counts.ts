// Verdict counts and the banner every output prints: "PASS · 16 passed · 3 known gaps".
import type { ScenarioVerdict, Summary, VerdictCounts } from './summary-schema.js';

/** How many scenarios got each verdict. */
export function countVerdicts(scenarios: readonly { verdict: ScenarioVerdict }[]): VerdictCounts {
  const count = (verdict: ScenarioVerdict) => scenarios.filter((scenario) => scenario.verdict === verdict).length;
  return {
    scenarios: scenarios.length,
    passed: count('pass'),
    failed: count('fail'),
    knownGaps: count('known-gap'),
    skipped: count('skipped'),
    aborted: count('aborted'),
    errors: count('error'),
  };
}

/** "16 passed · 3 known gaps · 1 skipped": passed always, the other verdicts when any scenario got them. */
export function formatVerdictCounts(counts: VerdictCounts): string {
  if (counts.scenarios === 0) return 'no scenarios';
  const parts = [`${counts.passed} passed`];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.knownGaps > 0) parts.push(`${counts.knownGaps} known gap${counts.knownGaps === 1 ? '' : 's'}`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  if (counts.aborted > 0) parts.push(`${counts.aborted} aborted`);
  if (counts.errors > 0) parts.push(`${counts.errors} error${counts.errors === 1 ? '' : 's'}`);
  return parts.join(' · ');
}

/** "PASS · 16 passed · 3 known gaps": the run's verdict and its counts (counted from the scenarios when the summary predates counts). */
export function formatVerdictBanner(summary: Pick<Summary, 'verdict' | 'scenarios'> & { counts?: VerdictCounts }): string {
  return `${summary.verdict.toUpperCase()} · ${formatVerdictCounts(summary.counts ?? countVerdicts(summary.scenarios))}`;
}
