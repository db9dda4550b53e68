// The one way faultline starts a reference instance of its own (a run's target, a plan's throwaway
// instance): its directory is chosen and the ledger intent naming it is fsync'd before anything is
// created, and the intent goes only once a stop confirms nothing of the instance is left, so
// `faultline recover` finds whatever a crash, a failed start or an unkillable process leaves.
import { RollbackError, getErrorMessage } from '../../errors.js';
import type { Intent, Ledger } from '../../run/ledger.js';
import { chooseInstanceDir } from './start.js';
import { stopReference, type StopReport } from './stop.js';

/** Who records the instance: the ledger (none: nothing is recorded) and the intent's names. */
export interface InstanceRecord {
  ledger?: Ledger;
  /** The intent id (unique in the ledger). */
  id: string;
  runId: string;
  scenario?: string;
}

/** A started, recorded instance: what `start` returned, and the stop that closes its intent. */
export interface RecordedInstance<T> {
  value: T;
  dir: string;
  intent: Intent;
  /** Stops the instance; closes the intent only when the report is complete. */
  stop(): Promise<StopReport>;
}

/**
 * Records the intent, then runs `start(dir)` in a fresh directory that faultline owns. When start
 * fails, what it started is stopped and the intent closed only if that stop was complete; otherwise
 * the error says what is left and that the intent is kept for `faultline recover`.
 */
export async function startRecordedInstance<T>(record: InstanceRecord, start: (dir: string) => Promise<T>): Promise<RecordedInstance<T>> {
  const dir = chooseInstanceDir();
  const intent: Intent = {
    id: record.id,
    kind: 'target',
    createdAt: new Date().toISOString(),
    pid: process.pid,
    runId: record.runId,
    ...(record.scenario !== undefined ? { scenario: record.scenario } : {}),
    target: { driver: 'reference', dir, ownsDir: true },
  };
  record.ledger?.open(intent);
  const stop = () => stopRecordedInstance(dir, intent, record.ledger);
  let value: T;
  try {
    value = await start(dir);
  } catch (error) {
    const report = await stop().catch((stopError: unknown) => ({ complete: false, left: [`(stop failed: ${getErrorMessage(stopError)})`], notes: [] }));
    if (report.complete) throw error;
    // Residue: exit 4 (DESIGN §6), like a rollback that failed.
    throw new RollbackError(`${getErrorMessage(error)}\n  after the failed start, still running: ${report.left.join('; ')}`, {
      cause: error,
      hint: record.ledger ? 'run `faultline recover` once they are gone (the target intent is kept)' : `stop it with \`faultline target down --dir ${dir}\` once they are gone`,
    });
  }
  return { value, dir, intent, stop };
}

/** Stops a recorded instance and closes its intent only when nothing of it is left. */
export async function stopRecordedInstance(dir: string, intent: Intent, ledger: Ledger | undefined): Promise<StopReport> {
  const report = await stopReference(dir, { ownsDir: true });
  if (report.complete) ledger?.close(intent);
  return report;
}
