// The runner: every scenario in order, each on its target, through one run session (run-session.ts):
// its events are journalled as they happen and its summary is folded from them. Interrupted runs roll
// back and still leave their journal.
import { AbortError } from '../errors.js';
import type { Scenario } from '../scenario/types.js';
import { getTargetKey } from '../targets/open-target.js';
import { findBundledDriver } from '../targets/drivers/registry.js';
import { Ledger, type Intent, type TargetDescriptor } from './ledger.js';
import type { ProgressListener } from './progress.js';
import { RunSession, type RunOutcome, type SessionOptions } from './run-session.js';
import { assertNotHalted } from './control/halt-switch.js';
import type { ListenerLike } from '../events/stream.js';
import { acquireTargetLocks, getTargetLockKeys, tryTargetLocks, type TargetLock } from './target-lock.js';

export type { RunOutcome } from './run-session.js';

/** Options of one `faultline run`: those of its session (what a game day names its session by aside), its ledger, abort signal and terminal. */
export interface RunOptions extends Omit<SessionOptions, 'kind' | 'title'> {
  ledger?: Ledger;
  signal?: AbortSignal;
  /** A listener on the run's events (the terminal); the same as one more entry in `listeners`. */
  onProgress?: ProgressListener;
  /**
   * Listeners opened only once the run holds its targets' locks (the history store), so a run refused for
   * a busy target writes nothing, not even a new store.
   */
  openLockedListeners?: () => Promise<readonly ListenerLike[]>;
}

/** Runs the scenarios; writes journal.jsonl under reportsDir/<run-id>/ and returns the summary (writeReports writes summary.json). */
export async function runScenarios(scenarios: readonly Scenario[], options: RunOptions): Promise<RunOutcome> {
  return withRunLocks(scenarios, options, (ledger, listeners) => runLockedScenarios(scenarios, { ...options, listeners }, ledger));
}

/**
 * Runs `body` holding the locks of every target the scenarios name, once no earlier run's intent is open
 * (a game day holds them all day). `body` gets the run's listeners: onProgress, `listeners`, and those
 * opened now that the locks are held.
 */
export async function withRunLocks<T>(scenarios: readonly Scenario[], options: RunOptions, body: (ledger: Ledger, listeners: readonly ListenerLike[]) => Promise<T>): Promise<T> {
  // A halted host starts nothing (`faultline halt --clear` lifts it).
  assertNotHalted();
  const ledger = options.ledger ?? new Ledger();
  // One run per target, for the whole run: a second run on one of these targets refuses (exit 2) naming this one.
  const locks = await acquireTargetLocks(await listStaticTargetKeys(scenarios, options), 'run');
  try {
    await refuseEarlierIntents(ledger, locks);
    const listeners = [...(options.onProgress ? [options.onProgress] : []), ...(options.listeners ?? []), ...((await options.openLockedListeners?.()) ?? [])];
    return await body(ledger, listeners);
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
  const session = await RunSession.open(scenarios, options, ledger, signal);
  let fatal: unknown;
  try {
    for (const [position, scenario] of scenarios.entries()) {
      if (session.signal.aborted) break;
      if (!(await session.runScenario(scenario, position + 1, scenarios.length))) break;
    }
  } catch (error) {
    fatal = error;
  }
  return session.finish(fatal);
}
