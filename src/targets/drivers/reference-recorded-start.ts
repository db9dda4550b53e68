// The one way faultline starts a reference instance of its own (a run's target, a plan's throwaway
// instance): its directory is chosen and the ledger intent naming it is fsync'd before anything is
// created, and the intent goes only once a stop confirms nothing of the instance is left, so
// `faultline recover` finds whatever a crash, a failed start or an unkillable process leaves.
import { RollbackError, getErrorMessage } from '../../errors.js';
import type { Intent, Ledger, TargetDescriptor } from '../../run/ledger.js';
import { acquireTargetLocks, combineTargetLocks, getTargetLockKeys } from '../../run/target-lock.js';
import { chooseInstanceDir } from '../reference/start.js';
import { stopReference, type StopReport } from '../reference/stop.js';
import type { TargetHandle } from '../types.js';

/** Who records the instance: the ledger (none: nothing is recorded) and the intent's names. */
export interface InstanceRecord {
  ledger?: Ledger;
  /** The intent id (unique in the ledger). */
  id: string;
  runId: string;
  scenario?: string;
  /** Start in this directory, which is the caller's (kept on stop); default a fresh one faultline owns. */
  dir?: string;
  /** A file that will name the instance (`target up`'s record): recover removes it with the instance. */
  recordFile?: string;
}

/** How a driver's instances are placed, recorded and stopped (the reference orchestrator's by default). */
export interface InstanceLifecycle {
  /** A fresh directory, not created yet. */
  chooseDir(): string;
  /** The ledger descriptor of an instance in `dir`. */
  describe(dir: string, ownsDir: boolean): TargetDescriptor;
  /** Stops it (idempotent); removes the dir when `ownsDir`. */
  stop(dir: string, ownsDir: boolean): Promise<StopReport>;
  /** The command that stops one by hand (`--dir <dir>` follows); default the reference orchestrator's. */
  downCommand?: string;
}

const REFERENCE_LIFECYCLE: InstanceLifecycle = {
  chooseDir: chooseInstanceDir,
  describe: (dir, ownsDir) => ({ driver: 'reference', dir, ownsDir }),
  stop: (dir, ownsDir) => stopReference(dir, { ownsDir }),
};

/** A started, recorded instance: what `start` returned, and the stop that closes its intent. */
export interface RecordedInstance<T> {
  value: T;
  dir: string;
  intent: Intent;
  /** Stops the instance; closes the intent only when the report is complete. */
  stop(): Promise<StopReport>;
  /** Leaves the started instance running as the user's (`target up`): closes the intent and releases the lock. */
  detach(): void;
}

/**
 * Locks the instance directory (one faultline process per target; the lock goes when this process
 * does, or on stop), records the intent, then runs `start(dir)` in a fresh directory that faultline
 * owns (or the caller's `record.dir`). When start
 * fails, what it started is stopped and the intent closed only if that stop was complete; otherwise
 * the error says what is left and that the intent is kept for `faultline recover`.
 */
export async function startRecordedInstance<T>(record: InstanceRecord, start: (dir: string) => Promise<T>, lifecycle: InstanceLifecycle = REFERENCE_LIFECYCLE): Promise<RecordedInstance<T>> {
  const ownsDir = record.dir === undefined;
  const dir = record.dir ?? lifecycle.chooseDir();
  const descriptor = lifecycle.describe(dir, ownsDir);
  const lock = combineTargetLocks(await acquireTargetLocks(await getTargetLockKeys(descriptor), record.runId));
  const intent: Intent = {
    id: record.id,
    kind: 'target',
    createdAt: new Date().toISOString(),
    pid: process.pid,
    runId: record.runId,
    ...(record.scenario !== undefined ? { scenario: record.scenario } : {}),
    target: descriptor,
    ...(record.recordFile !== undefined ? { recordFile: record.recordFile } : {}),
  };
  try {
    record.ledger?.open(intent);
  } catch (error) {
    lock.release();
    throw error;
  }
  const stop = async () => {
    const report = await stopRecordedInstance(dir, intent, record.ledger, ownsDir, lifecycle);
    if (report.complete) lock.release();
    return report;
  };
  let value: T;
  try {
    value = await start(dir);
  } catch (error) {
    const report = await stop().catch((stopError: unknown) => ({ complete: false, left: [`(stop failed: ${getErrorMessage(stopError)})`], notes: [] }));
    if (report.complete) throw error;
    // Residue: exit 4, like a rollback that failed.
    throw new RollbackError(`${getErrorMessage(error)}\n  after the failed start, still running: ${report.left.join('; ')}`, {
      cause: error,
      hint: record.ledger ? 'run `faultline recover` once they are gone (the target intent is kept)' : `stop it with \`${lifecycle.downCommand ?? 'faultline target down'} --dir ${dir}\` once they are gone`,
    });
  }
  const detach = () => {
    record.ledger?.close(intent);
    lock.release();
  };
  return { value, dir, intent, stop, detach };
}

/**
 * A driver's openRecorded for an instance it starts itself (`open(dir)`): recorded before it starts, so
 * `faultline recover` finds whatever a crash during start leaves; the handle's close() stops it and
 * closes the intent only when nothing is left.
 */
export async function openRecordedHandle(record: InstanceRecord, open: (dir: string) => Promise<TargetHandle>, lifecycle?: InstanceLifecycle): Promise<{ handle: TargetHandle; intent: Intent }> {
  const recorded = await startRecordedInstance(record, open, lifecycle);
  const started = recorded.value;
  const handle: TargetHandle = {
    get target() {
      return started.target;
    },
    managed: true,
    ...(started.reset ? { reset: () => started.reset!() } : {}),
    close: () => recorded.stop(),
  };
  return { handle, intent: recorded.intent };
}

/** Stops a recorded instance and closes its intent only when nothing of it is left. */
export async function stopRecordedInstance(dir: string, intent: Intent, ledger: Ledger | undefined, ownsDir = true, lifecycle: InstanceLifecycle = REFERENCE_LIFECYCLE): Promise<StopReport> {
  const report = await lifecycle.stop(dir, ownsDir);
  if (report.complete) ledger?.close(intent);
  return report;
}
