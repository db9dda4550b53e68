// One run, open: its id and folder, its event stream (journal, terminal, dashboard, history and the
// summary fold listen), and the scenarios run one by one on their targets. `faultline run` runs its
// scenarios through one session; a game day runs its steps through one, so a game day is one run.
import { hostname } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { describeScenarioHead } from '../analyse/summarize.js';
import { ExitCode, RollbackError, getErrorMessage } from '../errors.js';
import { SummaryFold } from '../events/fold-summary.js';
import { RunEventStream, type ListenerLike } from '../events/stream.js';
import { createJournalListener } from '../journal/journal-listener.js';
import type { Scenario } from '../scenario/types.js';
import type { TargetHandle } from '../targets/types.js';
import { describeTargetForLedger } from '../targets/open-target.js';
import { selectTargetDriver } from '../targets/drivers/registry.js';
import type { TargetLogEvent } from '../targets/drivers/types.js';
import { getVersion } from '../util/package-root.js';
import { monotonicMs, roundMs } from '../util/clock.js';
import { completeEnvironment, describeEnvironmentAtStart } from './describe-environment.js';
import type { Intent, Ledger } from './ledger.js';
import { createRunId } from './run-id.js';
import { runScenario } from './run-scenario.js';
import { getRunVerdict } from './verdict.js';
import { LiveRun, type RunCommand } from './control/live-runs.js';
import { runFleetScenario } from '../fleet/run-fleet-scenario.js';

/** What a session needs; a run's options (RunOptions) are these and its ledger, signal and terminal. */
export interface SessionOptions {
  heal: boolean;
  healDelayMs?: number;
  /** The web stack's guardrails (default on). */
  guardrails?: boolean;
  gate: boolean;
  reportsDir: string;
  targetDir?: string;
  /** Names for the report's sign-off block. */
  signOff?: { preparedBy?: string; reviewer?: string };
  /** Listeners on the run's event stream besides the journal and the summary fold (terminal, dashboard, history indexer). */
  listeners?: readonly ListenerLike[];
  /** What `faultline halt` and `note` list it as. */
  kind?: 'run' | 'gameday';
  title?: string;
}

/** What a run produced. */
export interface RunOutcome {
  summary: Summary;
  runDir: string;
  exitCode: number;
}

/** While a scenario's target is open: told the handle (stop conditions probe it); the returned function is called before the target closes. */
export type TargetWatcher = (handle: TargetHandle, scenario: Scenario) => (() => Promise<void> | void) | undefined;

/** An open run. */
export class RunSession {
  readonly runId: string;
  readonly runDir: string;
  readonly events: RunEventStream;
  readonly fold = new SummaryFold();
  readonly signal: AbortSignal;
  readonly #controller = new AbortController();
  #live: LiveRun | undefined;
  #halted = false;
  /** Told each `faultline gameday continue` (or dashboard Continue) for this run. */
  onContinue: ((by: string) => void) | undefined;
  readonly #options: SessionOptions;
  readonly #ledger: Ledger;
  readonly #start = monotonicMs();
  #targetLeft = false;
  #stopped = false;
  // Targets a run left broken, so the next run on one is recorded as skipped (with the culprit), not aborted.
  readonly #leftBroken = new Map<string, string>();

  private constructor(runId: string, options: SessionOptions, ledger: Ledger, signal: AbortSignal) {
    this.runId = runId;
    this.runDir = resolve(options.reportsDir, runId);
    this.#options = options;
    this.#ledger = ledger;
    // The run stops on the caller's signal (Ctrl-C) and on a halt (faultline halt, the dashboard, a stop condition).
    this.signal = this.#controller.signal;
    // An interrupt (Ctrl-C, SIGTERM) is journalled with its name, when the caller aborts with it as the reason.
    const interrupt = () => {
      if (!this.#halted) this.events.emit('interrupted', { signal: typeof signal.reason === 'string' ? signal.reason : 'aborted' });
      this.#controller.abort();
    };
    if (signal.aborted) this.#controller.abort();
    else signal.addEventListener('abort', interrupt, { once: true });
    this.events = new RunEventStream([createJournalListener(join(this.runDir, 'journal.jsonl')), this.fold, ...(options.listeners ?? [])]);
  }

  /** Opens a run: a new id and folder, and run.start on its stream. */
  static async open(scenarios: readonly Scenario[], options: SessionOptions, ledger: Ledger, signal: AbortSignal): Promise<RunSession> {
    const session = new RunSession(createRunId(), options, ledger, signal);
    const startedAt = new Date().toISOString();
    const atStart = await describeEnvironmentAtStart(scenarios.map((scenario) => scenario.source.file));
    const signOff = options.signOff && (options.signOff.preparedBy || options.signOff.reviewer) ? { signOff: options.signOff } : {};
    session.events.emit('run.start', {
      runId: session.runId,
      runDir: session.runDir,
      faultline: getVersion(),
      scenarios: scenarios.map((scenario) => scenario.id),
      options: { heal: options.heal, gate: options.gate, ...(options.healDelayMs !== undefined ? { healDelayMs: options.healDelayMs } : {}), guardrails: options.guardrails ?? true },
      startedAt,
      environment: { faultline: getVersion(), node: process.version, host: hostname(), platform: `${process.platform} ${process.arch}`, ...atStart },
      ...signOff,
      totalRuns: scenarios.reduce((sum, scenario) => sum + scenario.runs, 0),
    });
    // Registered last: from here on `faultline halt` stops it and `faultline note` reaches it.
    try {
      session.#live = LiveRun.register({ runId: session.runId, runDir: session.runDir, kind: options.kind ?? 'run', ...(options.title ? { title: options.title } : {}) });
    } catch (error) {
      session.events.emit('error', { message: getErrorMessage(error) });
      session.events.close();
      throw error;
    }
    session.#live.watch({
      onHalt: (halt) => session.halt(`faultline halt (${halt.by})`, halt.reason || 'emergency stop'),
      onCommand: (command) => session.#onCommand(command),
    });
    return session;
  }

  /** The registration other commands see (the dashboard adds its address). */
  get live(): LiveRun | undefined {
    return this.#live;
  }

  /** Whether the run was halted. */
  get halted(): boolean {
    return this.#halted;
  }

  /** Halts the run: journals who and why, then stops it (the current fault rolls back; exit 3). Once. */
  halt(by: string, reason: string): void {
    if (this.#halted) return;
    this.#halted = true;
    this.events.emit('halt', { by, reason });
    this.#controller.abort();
  }

  /** A note on the run's timeline (from `faultline note`, the dashboard, or the runner). */
  note(message: string, author?: string, writtenAt?: number): void {
    this.events.emit('note', { message, ...(author ? { author } : {}), ...(writtenAt !== undefined ? { writtenAt } : {}) });
  }

  #onCommand(command: RunCommand): void {
    if (command.type === 'note') this.note(command.text, command.author ?? 'unknown', command.at);
    else if (this.onContinue) this.onContinue(command.by);
    else this.note(`\`continue\` from ${command.by} ignored: no step is waiting`);
  }

  /** True once a scenario left something behind (a failed rollback, a target not down): nothing more may run. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** Runs one scenario on its target (opened, reset if need be, closed); returns false when the run must stop. */
  async runScenario(scenario: Scenario, position: number, total: number, watch?: TargetWatcher): Promise<boolean> {
    const { events } = this;
    events.emit('scenario.start', { scenario: scenario.id, title: scenario.title, file: scenario.source.file, fault: scenario.fault, runs: scenario.runs, timeoutMs: scenario.timeoutMs, position, total, head: describeScenarioHead(scenario) });
    // A fleet scenario runs on its hosts, each through its own agent against its own target.
    if (scenario.hosts) {
      const fleet = await runFleetScenario(scenario, { runId: this.runId, events, signal: this.signal, stateDir: dirname(this.#ledger.dir) });
      for (const run of fleet.runs) events.emit('run.result', { ...run, scenario: scenario.id, run: run.index });
      const summary = this.fold.getScenario(scenario.id)!;
      events.emit('scenario.end', { scenario: scenario.id, verdict: summary.verdict, reasons: summary.reasons, configuration: fleet.configuration, stats: summary.stats, checks: summary.checks });
      return !this.#stopped;
    }
    const upStart = monotonicMs();
    const { handle, targetIntent } = await this.#openTarget(scenario);
    const targetDescriptor = targetIntent?.target ?? describeTargetForLedger(handle);
    events.emit('target.up', { scenario: scenario.id, managed: handle.managed, ms: roundMs(monotonicMs() - upStart), description: handle.target.describe(), label: `${handle.target.name} (${handle.target.home})` });
    let rollbackFailed = false;
    let targetDown = true;
    const unwatch = watch?.(handle, scenario);
    try {
      await this.#resetBeforeScenario(handle, scenario, this.#leftBroken.has(JSON.stringify(targetDescriptor)));
      const runs = await runScenario(scenario, { runId: this.runId, handle, targetDescriptor, ledger: this.#ledger, events, signal: this.signal, leftBroken: this.#leftBroken });
      rollbackFailed = runs.some((run) => run.rollback !== null && !run.rollback.ok);
      const summary = this.fold.getScenario(scenario.id)!;
      events.emit('scenario.end', { scenario: scenario.id, verdict: summary.verdict, reasons: summary.reasons, configuration: runs.configuration, stats: summary.stats, checks: summary.checks });
    } finally {
      await unwatch?.();
      if (rollbackFailed) {
        // Keep the target (and its intent) for `faultline recover`, which undoes the fault first,
        // then stops it; and inject nothing more into a system that may still carry a fault.
        events.emit('note', { scenario: scenario.id, message: 'a rollback failed: the target is left as it is and the run stops; run `faultline recover`' });
      } else {
        // A managed target's close() closes its intent itself, and only once nothing of it is left.
        const stopped = await handle.close();
        for (const note of stopped.notes) events.emit('note', { scenario: scenario.id, message: `stopping the target: ${note}` });
        targetDown = stopped.complete;
        // Set here, not after the finally: it must hold even when the scenario threw.
        if (!stopped.complete) this.#targetLeft = true;
        if (stopped.complete) events.emit('target.down', { scenario: scenario.id, managed: handle.managed });
        else events.emit('note', { scenario: scenario.id, message: `the target is not down (still running: ${stopped.left.join('; ')}): its intent is kept and the run stops; run \`faultline recover\`` });
      }
    }
    if (rollbackFailed || !targetDown) this.#stopped = true;
    return !this.#stopped;
  }

  /** Ends the run: run.end with the verdict, the stream closed; the summary is the fold of its events. Rethrows `fatal`. */
  finish(fatal?: unknown): RunOutcome {
    if (fatal !== undefined) this.events.emit('error', { message: getErrorMessage(fatal) });
    // A listener that failed (a dashboard, the history) was dropped; the journal says so.
    for (const problem of this.events.listenerErrors) this.events.emit('note', { message: problem });
    const scenarios = this.fold.getSummary(this.runDir).scenarios;
    const verdict = getRunVerdict(scenarios, { gate: this.#options.gate, interrupted: this.signal.aborted, targetLeft: this.#targetLeft });
    this.events.emit('run.end', {
      verdict: verdict.verdict,
      exitCode: verdict.exitCode,
      durationMs: roundMs(monotonicMs() - this.#start),
      finishedAt: new Date().toISOString(),
      loadAverageEnd: completeEnvironment({}).loadAverage?.end ?? [],
    });
    this.#live?.close();
    this.events.close();
    const summary = this.fold.getSummary(this.runDir);
    // Residue outranks the error that ended the run: exit 4 and say to recover, with the error as its cause.
    if (fatal !== undefined && this.#targetLeft) throw new RollbackError(`${getErrorMessage(fatal)}; and a target faultline started is still running`, { cause: fatal });
    if (fatal !== undefined) throw fatal;
    return { summary, runDir: this.runDir, exitCode: verdict.exitCode ?? ExitCode.ok };
  }

  // A target its driver starts is recorded in the ledger before it starts (the driver's openRecorded), so
  // `faultline recover` finds whatever a crash during start leaves; other targets are opened as they are.
  async #openTarget(scenario: Scenario): Promise<{ handle: TargetHandle; targetIntent?: Intent }> {
    const { driver, file } = await selectTargetDriver(scenario.target, scenario.source.file);
    const openOptions = { ...this.#options, log: (event: TargetLogEvent) => this.events.emit('target.hook', { scenario: scenario.id, ...event }) };
    if (!driver.openRecorded) return { handle: await driver.open(file, openOptions) };
    const { handle, intent } = await driver.openRecorded(file, openOptions, { ledger: this.#ledger, id: `${this.runId}-${scenario.id}-target`, runId: this.runId, scenario: scenario.id });
    return { handle, ...(intent ? { targetIntent: intent } : {}) };
  }

  // A target faultline did not start carries over what the previous scenario did to it: its reset hook
  // runs first when that scenario left it broken (or always, if the target file says so).
  async #resetBeforeScenario(handle: TargetHandle, scenario: Scenario, broken: boolean): Promise<void> {
    if (!handle.reset || handle.managed || !(broken || handle.resetWhen === 'always')) return;
    const reason = broken ? 'the previous scenario on this target left its steady state failing' : 'the target resets before every scenario (hooks.reset.when: always)';
    this.events.emit('target.reset', { scenario: scenario.id, reason, message: `resetting the target (its reset hook): ${reason}` });
    const report = await handle.reset();
    for (const note of report.notes) this.events.emit('note', { scenario: scenario.id, message: note });
  }
}
