// The run's verdict and exit code: rollback failure beats abort beats gate failure. A known gap
// (an accepted, documented risk) does not fail the gate; a skipped scenario does, since its
// expectations went untested (an earlier run left the target broken).
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { ExitCode } from '../errors.js';

/** Verdict and exit code of a whole run. Without `gate`, failed expectations are reported but exit 0. `targetLeft`: a target it started is still running. */
export function getRunVerdict(scenarios: readonly ScenarioSummary[], options: { gate: boolean; interrupted: boolean; targetLeft?: boolean }): { verdict: Summary['verdict']; exitCode: ExitCode } {
  const rollbackFailed = scenarios.some((scenario) => scenario.runs.some((run) => run.rollback !== null && !run.rollback.ok));
  // A target faultline started and could not stop is residue, like a fault not rolled back: same verdict and exit code.
  if (rollbackFailed || options.targetLeft) return { verdict: 'rollback-failed', exitCode: ExitCode.rollbackFailed };
  if (options.interrupted || scenarios.some((scenario) => scenario.verdict === 'aborted' || scenario.verdict === 'error')) return { verdict: 'aborted', exitCode: ExitCode.aborted };
  if (scenarios.some((scenario) => scenario.verdict === 'fail' || scenario.verdict === 'skipped')) return { verdict: 'fail', exitCode: options.gate ? ExitCode.gateFailed : ExitCode.ok };
  return { verdict: 'pass', exitCode: ExitCode.ok };
}
