// The runner: every scenario in order, each on its target, with a journal written as it happens
// and a summary at the end. Interrupted runs roll back and still leave their journal.
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { AbortError, ExitCode, RollbackError, getErrorMessage } from '../errors.js';
import { JournalWriter } from '../journal/writer.js';
import type { Scenario } from '../scenario/types.js';
import type { TargetHandle } from '../targets/types.js';
import { describeTargetForLedger, getTargetKey } from '../targets/open-target.js';
import { findBundledDriver, selectTargetDriver } from '../targets/drivers/registry.js';
import type { TargetLogEvent } from '../targets/drivers/types.js';
import { getVersion } from '../util/package-root.js';
import { monotonicMs, roundMs } from '../util/clock.js';
import { completeEnvironment, describeEnvironmentAtStart } from './describe-environment.js';
import { Ledger, type Intent, type TargetDescriptor } from './ledger.js';
import type { ProgressListener } from './progress.js';
import { createRunId } from './run-id.js';
import { runScenario } from './run-scenario.js';
import { getRunVerdict } from './verdict.js';
import { countVerdicts } from '../analyse/verdict-counts.js';
import { acquireTargetLocks, getTargetLockKeys, tryTargetLocks, type TargetLock } from './target-lock.js';

/** Options of one `faultline run`. */
export interface RunOptions {
  heal: boolean;
  healDelayMs?: number;
  /** The web stack's guardrails (default on). */
  guardrails?: boolean;
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
  // One run per target, for the whole run: a second run on one of these targets refuses (exit 2) naming this one.
  const locks = await acquireTargetLocks(await listStaticTargetKeys(scenarios, options), 'run');
  try {
    await refuseEarlierIntents(ledger, locks);
    return await runLockedScenarios(scenarios, options, ledger);
  } finally {
    for (const lock of locks) lock.release();
  }
}

// The targets a run can name before it starts anything: target files and a --target-dir instance
// (an instance the run starts is locked when its directory is chosen, see startRecordedInstance).
// Each target is locked by what it touches (see getTargetLockKeys), not by how its file is named.
async function listStaticTargetKeys(scenarios: readonly Scenario[], options: RunOptions): Promise<string[]> {
  const keys: string[] = [];
  for (const scenario of scenarios) {
    const bundled = findBundledDriver(scenario.target);
    if (!bundled) keys.push(...(await getTargetLockKeys({ driver: 'external', file: getTargetKey(scenario.target, scenario.source.file) })));
    else if (options.targetDir) keys.push(...(await getTargetLockKeys({ driver: bundled.name, dir: options.targetDir } as TargetDescriptor)));
  }
  return keys;
}

// Open intents of a target no live process holds are an earlier run's that was never rolled back; those
// of a target another run holds are that run's own (it rolls them back itself) and do not block this one.
async function refuseEarlierIntents(ledger: Ledger, ours: readonly TargetLock[]): Promise<void> {
  const earlier: Intent[] = [];
  for (const intent of ledger.list()) {
    const keys = await getTargetLockKeys(intent.target);
    if (ours.some((lock) => keys.includes(lock.key))) {
      earlier.push(intent);
      continue;
    }
    const attempt = await tryTargetLocks(keys, 'run (checking the ledger)');
    if ('locks' in attempt) {
      for (const lock of attempt.locks) lock.release();
      earlier.push(intent);
    }
  }
  if (earlier.length > 0) {
    throw new AbortError(`${earlier.length} fault(s) from an earlier run were never rolled back (${earlier.map((intent) => intent.id).join(', ')})`, {
      hint: 'run `faultline recover` first, or `faultline run --recover` to do it before this run',
    });
  }
}

async function runLockedScenarios(scenarios: readonly Scenario[], options: RunOptions, ledger: Ledger): Promise<RunOutcome> {
  const signal = options.signal ?? new AbortController().signal;
  const onProgress = options.onProgress ?? (() => {});
  const runId = createRunId();
  const runDir = resolve(options.reportsDir, runId);
  const journal = new JournalWriter(join(runDir, 'journal.jsonl'));
  const startedAt = new Date();
  const start = monotonicMs();
  const environmentAtStart = await describeEnvironmentAtStart(scenarios.map((scenario) => scenario.source.file));
  journal.write('run.start', { runId, faultline: getVersion(), scenarios: scenarios.map((s) => s.id), options: { heal: options.heal, gate: options.gate, healDelayMs: options.healDelayMs, guardrails: options.guardrails ?? true } });
  onProgress({ type: 'run.start', runId, runDir, scenarios: scenarios.length });

  const summaries: ScenarioSummary[] = [];
  const targets: Record<string, unknown>[] = [];
  let fatal: unknown;
  let targetLeft = false;
  // Targets a run left broken, so the next run on one is recorded as skipped (with the culprit), not aborted.
  const leftBroken = new Map<string, string>();
  try {
    for (const [position, scenario] of scenarios.entries()) {
      if (signal.aborted) break;
      onProgress({ type: 'scenario.start', scenario, position: position + 1, total: scenarios.length });
      journal.write('scenario.start', { scenario: scenario.id, title: scenario.title, file: scenario.source.file, fault: scenario.fault, runs: scenario.runs });
      const upStart = monotonicMs();
      const { handle, targetIntent } = await openScenarioTarget(scenario, runId, ledger, options, journal);
      const targetDescriptor = targetIntent?.target ?? describeTargetForLedger(handle);
      const description = handle.target.describe();
      targets.push(description);
      journal.write('target.up', { scenario: scenario.id, managed: handle.managed, ms: roundMs(monotonicMs() - upStart), ...description });
      onProgress({ type: 'target.up', scenario, description: `${handle.target.name} (${handle.target.home})`, ms: monotonicMs() - upStart, managed: handle.managed });
      let rollbackFailed = false;
      let targetDown = true;
      try {
        await resetBeforeScenario(handle, scenario, leftBroken.has(JSON.stringify(targetDescriptor)), journal, onProgress);
        const summary = await runScenario(scenario, { runId, handle, targetDescriptor, ledger, journal, signal, onProgress, leftBroken });
        summaries.push(summary);
        rollbackFailed = summary.runs.some((run) => run.rollback !== null && !run.rollback.ok);
        journal.write('scenario.end', { scenario: scenario.id, verdict: summary.verdict, reasons: summary.reasons, configuration: summary.configuration, stats: summary.stats, checks: summary.checks });
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
    options: { heal: options.heal, gate: options.gate, ...(options.healDelayMs !== undefined ? { healDelayMs: options.healDelayMs } : {}), guardrails: options.guardrails ?? true },
    environment: { faultline: getVersion(), node: process.version, host: hostname(), platform: `${process.platform} ${process.arch}`, ...completeEnvironment(environmentAtStart) },
    ...(options.signOff && (options.signOff.preparedBy || options.signOff.reviewer) ? { signOff: options.signOff } : {}),
    targets,
    counts: countVerdicts(summaries),
    scenarios: summaries,
  };
  journal.write('run.end', { verdict: summary.verdict, exitCode: summary.exitCode, durationMs: summary.durationMs });
  journal.close();
  // Residue outranks the error that ended the run: exit 4 and say to recover, with the error as its cause.
  if (fatal && targetLeft) throw new RollbackError(`${getErrorMessage(fatal)}; and a target faultline started is still running`, { cause: fatal });
  if (fatal) throw fatal;
  return { summary, runDir, exitCode: verdict.exitCode ?? ExitCode.ok };
}

// A target its driver starts is recorded in the ledger before it starts (the driver's openRecorded), so
// `faultline recover` finds whatever a crash during start leaves; other targets are opened as they are.
async function openScenarioTarget(scenario: Scenario, runId: string, ledger: Ledger, options: RunOptions, journal: JournalWriter): Promise<{ handle: TargetHandle; targetIntent?: Intent }> {
  const { driver, file } = await selectTargetDriver(scenario.target, scenario.source.file);
  const openOptions = { ...options, log: (event: TargetLogEvent) => journal.write('target.hook', { scenario: scenario.id, ...event }) };
  if (!driver.openRecorded) return { handle: await driver.open(file, openOptions) };
  const { handle, intent } = await driver.openRecorded(file, openOptions, { ledger, id: `${runId}-${scenario.id}-target`, runId, scenario: scenario.id });
  return { handle, ...(intent ? { targetIntent: intent } : {}) };
}

// A target faultline did not start carries over what the previous scenario did to it: its reset hook
// runs first when that scenario left it broken (or always, if the target file says so).
async function resetBeforeScenario(handle: TargetHandle, scenario: Scenario, broken: boolean, journal: JournalWriter, onProgress: ProgressListener): Promise<void> {
  if (!handle.reset || handle.managed || !(broken || handle.resetWhen === 'always')) return;
  const reason = broken ? 'the previous scenario on this target left its steady state failing' : 'the target resets before every scenario (hooks.reset.when: always)';
  onProgress({ type: 'target.reset', scenario, reason });
  journal.write('note', { scenario: scenario.id, message: `resetting the target (its reset hook): ${reason}` });
  const report = await handle.reset();
  for (const note of report.notes) journal.write('note', { scenario: scenario.id, message: note });
}
