// The runner: every scenario in order, each on its target, with a journal written as it happens
// and a summary at the end. Interrupted runs roll back and still leave their journal.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { countVerdicts } from '../analyse/verdict-counts.js';
import { AbortError, ExitCode, RollbackError, getErrorMessage } from '../errors.js';
import { JournalWriter } from '../journal/writer.js';
import type { Scenario } from '../scenario/types.js';
import type { TargetHandle } from '../targets/types.js';
import { describeTargetForLedger, openTargetHandle } from '../targets/open-target.js';
import { getVersion } from '../util/package-root.js';
import { monotonicMs, roundMs } from '../util/clock.js';
import { completeEnvironment, describeEnvironmentAtStart } from './describe-environment.js';
import { Ledger, type Intent } from './ledger.js';
import type { ProgressListener } from './progress.js';
import { createRunId } from './run-id.js';
import { runScenario } from './run-scenario.js';
import { getRunVerdict } from './verdict.js';

/** Options of one `faultline run`. */
export interface RunOptions {
  heal: boolean;
  healDelayMs?: number;
  gate: boolean;
  reportsDir: string;
  targetDir?: string;
  ledger?: Ledger;
  signal?: AbortSignal;
  onProgress?: ProgressListener;
  /** Names for the report's sign-off block. */
  signOff?: { preparedBy?: string; reviewer?: string };
}

/** What a run produced. */
export interface RunOutcome {
  summary: Summary;
  runDir: string;
  exitCode: number;
}

/** Runs the scenarios and writes journal.jsonl and summary.json under reportsDir/<run-id>/. */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<RunOutcome> {
  const ledger = options.ledger ?? new Ledger();
  const open = ledger.list();
  if (open.length > 0) {
    throw new AbortError(`${open.length} fault(s) from an earlier run were never rolled back (${open.map((intent) => intent.id).join(', ')})`, {
      hint: 'run `faultline recover` first, or `faultline run --recover` to do it before this run',
    });
  }
  const signal = options.signal ?? new AbortController().signal;
  const onProgress = options.onProgress ?? (() => {});
  const runId = createRunId();
  const runDir = resolve(options.reportsDir, runId);
  const journal = new JournalWriter(join(runDir, 'journal.jsonl'));
  const startedAt = new Date();
  const start = monotonicMs();
  const environmentAtStart = await describeEnvironmentAtStart(scenarios.map((scenario) => scenario.source.file));
  journal.write('run.start', { runId, faultline: getVersion(), scenarios: scenarios.map((s) => s.id), options: { heal: options.heal, gate: options.gate, healDelayMs: options.healDelayMs } });
  onProgress({ type: 'run.start', runId, runDir, scenarios: scenarios.length });

  const summaries: ScenarioSummary[] = [];
  const targets: Record<string, unknown>[] = [];
  let fatal: unknown;
  let targetLeft = false;
  try {
    for (const [position, scenario] of scenarios.entries()) {
      if (signal.aborted) break;
      onProgress({ type: 'scenario.start', scenario, position: position + 1, total: scenarios.length });
      journal.write('scenario.start', { scenario: scenario.id, title: scenario.title, file: scenario.source.file, fault: scenario.fault, runs: scenario.runs });
      const upStart = monotonicMs();
      const { handle, targetIntent } = await openScenarioTarget(scenario, runId, ledger, options);
      const targetDescriptor = targetIntent?.target ?? describeTargetForLedger(handle);
      const description = handle.target.describe();
      targets.push(description);
      journal.write('target.up', { scenario: scenario.id, managed: handle.managed, ms: roundMs(monotonicMs() - upStart), ...description });
      onProgress({ type: 'target.up', scenario, description: `${handle.target.name} (${handle.target.home})`, ms: monotonicMs() - upStart });
      let rollbackFailed = false;
      let targetDown = true;
      try {
        const summary = await runScenario(scenario, { runId, handle, targetDescriptor, ledger, journal, signal, onProgress });
        summaries.push(summary);
        rollbackFailed = summary.runs.some((run) => run.rollback !== null && !run.rollback.ok);
        journal.write('scenario.end', { scenario: scenario.id, verdict: summary.verdict, stats: summary.stats, checks: summary.checks });
        onProgress({ type: 'scenario.end', summary });
      } finally {
        if (rollbackFailed) {
          // Keep the target (and its intent) for `faultline recover`, which undoes the fault first,
          // then stops it; and inject nothing more into a system that may still carry a fault.
          journal.write('note', { scenario: scenario.id, message: 'a rollback failed: the target is left as it is and the run stops; run `faultline recover`' });
        } else {
          // A managed target's close() closes its intent itself, and only once nothing of it is left.
          const stopped = await handle.close();
          for (const note of stopped.notes) journal.write('note', { scenario: scenario.id, message: `stopping the target: ${note}` });
          targetDown = stopped.complete;
          // Set here, not after the finally: it must hold even when the scenario threw.
          if (!stopped.complete) targetLeft = true;
          if (stopped.complete) journal.write('target.down', { scenario: scenario.id, managed: handle.managed });
          else journal.write('note', { scenario: scenario.id, message: `the target is not down (still running: ${stopped.left.join('; ')}): its intent is kept and the run stops; run \`faultline recover\`` });
        }
      }
      if (rollbackFailed || !targetDown) break;
    }
  } catch (error) {
    fatal = error;
    journal.write('error', { message: getErrorMessage(error) });
  }

  const verdict = getRunVerdict(summaries, { gate: options.gate, interrupted: signal.aborted, targetLeft });
  const summary: Summary = {
    $schema: '../../schemas/summary.schema.json',
    schemaVersion: 1,
    runId,
    verdict: verdict.verdict,
    exitCode: verdict.exitCode,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: roundMs(monotonicMs() - start),
    options: { heal: options.heal, gate: options.gate, ...(options.healDelayMs !== undefined ? { healDelayMs: options.healDelayMs } : {}) },
    environment: { faultline: getVersion(), node: process.version, host: hostname(), platform: `${process.platform} ${process.arch}`, ...completeEnvironment(environmentAtStart) },
    ...(options.signOff && (options.signOff.preparedBy || options.signOff.reviewer) ? { signOff: options.signOff } : {}),
    targets,
    scenarios: summaries,
    counts: countVerdicts(summaries),
  };
  journal.write('run.end', { verdict: summary.verdict, exitCode: summary.exitCode, durationMs: summary.durationMs });
  journal.close();
  // Residue outranks the error that ended the run: exit 4 and say to recover, with the error as its cause.
  if (fatal && targetLeft) throw new RollbackError(`${getErrorMessage(fatal)}; and a target faultline started is still running`, { cause: fatal });
  if (fatal) throw fatal;
  return { summary, runDir, exitCode: verdict.exitCode ?? ExitCode.ok };
}

// A reference target faultline starts is recorded before it starts (startRecordedInstance), so
// `faultline recover` finds whatever a crash during start leaves; its close() stops it and closes the
// intent only when nothing is left. Other targets are opened as they are (nothing to record).
async function openScenarioTarget(scenario: Scenario, runId: string, ledger: Ledger, options: RunOptions): Promise<{ handle: TargetHandle; targetIntent?: Intent }> {
  if (scenario.target !== 'reference' || options.targetDir) return { handle: await openTargetHandle(scenario.target, scenario.source.file, options) };
  const { startRecordedInstance } = await import('../targets/reference/index.js');
  const recorded = await startRecordedInstance({ ledger, id: `${runId}-${scenario.id}-target`, runId, scenario: scenario.id }, (dir) =>
    openTargetHandle(scenario.target, scenario.source.file, { ...options, instanceDir: dir }),
  );
  const started = recorded.value;
  const handle: TargetHandle = {
    get target() {
      return started.target;
    },
    managed: true,
    ...(started.reset ? { reset: () => started.reset!() } : {}),
    close: () => recorded.stop(),
  };
  return { handle, targetIntent: recorded.intent };
}
