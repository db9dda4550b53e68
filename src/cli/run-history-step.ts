// The history part of `faultline run`: open the store before the run (so bad options exit 2 with nothing
// run), then around the reports: earlier runs for the trend, the baseline gate, indexing the new folder.
import { resolve } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { ExitCode, InputError } from '../errors.js';
import type { BaselineFinding } from '../history/baseline-gate.js';
import { getDefaultHistoryPath } from '../history/open-history.js';
import type { RunHistory } from '../history/run-history.js';
import type { RunArgs } from './commands/run.js';

/** Checks --baseline, --baseline-margin and --history before anything runs (exit 2 with nothing touched). */
export function checkHistoryArgs(args: RunArgs): void {
  if (args.baseline !== undefined && (!Number.isInteger(args.baseline) || args.baseline < 1 || args.baseline > 1000)) {
    throw new InputError(`--baseline: expected a whole number of earlier runs from 1 to 1000; got ${args.baseline}`);
  }
  if (!Number.isFinite(args.baselineMargin) || args.baselineMargin < 0 || args.baselineMargin > 10_000) {
    throw new InputError(`--baseline-margin: expected a percentage from 0 to 10000; got ${args.baselineMargin}`);
  }
  if (args.history === 'off' && args.baseline !== undefined) throw new InputError('--baseline needs the history store: drop `--history off`');
}

/** The store a run uses, or undefined with `--history off`. */
export async function openHistoryForRun(args: RunArgs): Promise<RunHistory | undefined> {
  checkHistoryArgs(args);
  if (args.history === 'off') return undefined;
  const { openRunHistory } = await import('../history/run-history.js');
  return openRunHistory(args.history ?? getDefaultHistoryPath(args.reports), resolve(args.reports));
}

/** What the store adds to a run's report and verdict. */
export interface HistoryStep {
  earlier: Summary[];
  notes: string[];
  findings: BaselineFinding[];
}

/** Reads the earlier runs and checks the baseline (the new run is not in the store yet, and is excluded anyway). */
export async function readHistoryStep(history: RunHistory | undefined, summary: Summary, args: RunArgs): Promise<HistoryStep> {
  if (!history) return { earlier: [], notes: [], findings: [] };
  const earlier = await history.readEarlierSummaries(summary);
  const findings = args.baseline === undefined ? [] : history.checkBaseline(summary, { runs: args.baseline, margin: args.baselineMargin / 100 });
  const notes = [...history.notes, ...findings.filter((finding) => finding.status === 'regressed').map((finding) => `regression against the baseline: ${finding.message}`)];
  return { earlier, notes, findings };
}

/** A regression fails a gated run that otherwise passed (exit 1); worse exits (aborted, rollback failed) stay. */
export function applyBaselineGate(exitCode: number, findings: readonly BaselineFinding[], gate: boolean): number {
  const regressed = findings.some((finding) => finding.status === 'regressed');
  return gate && regressed && exitCode === ExitCode.ok ? ExitCode.gateFailed : exitCode;
}
