// Starts a cluster the way every managed target starts: the directory is chosen and locked, and the
// ledger intent naming it fsync'd, before anything is created; the intent goes only once a stop
// confirms nothing of the cluster is left, so `faultline recover` finds whatever a crash leaves.
import { RollbackError, getErrorMessage } from '../../errors.js';
import type { Intent, Ledger } from '../../run/ledger.js';
import { acquireTargetLocks, combineTargetLocks, getTargetLockKeys } from '../../run/target-lock.js';
import type { TargetStopReport } from '../types.js';
import { chooseClusterDir, startEtcdCluster, type EtcdStartOptions } from './start.js';
import { stopEtcdCluster } from './stop.js';
import type { EtcdClusterState } from './layout.js';

/** Who records the cluster (no ledger: nothing is recorded) and the intent's names. */
export interface ClusterRecord {
  ledger?: Ledger;
  id: string;
  runId: string;
  scenario?: string;
  /** A file that will name the cluster (`target up`'s record): recover removes it with the cluster. */
  recordFile?: string;
}

/** A started, recorded cluster. */
export interface RecordedCluster {
  state: EtcdClusterState;
  intent: Intent;
  stop(): Promise<TargetStopReport>;
  /** Leaves it running as the user's (`target up`): closes the intent and releases the lock. */
  detach(): void;
}

/** Locks, records, starts; a failed start is stopped again (the intent kept when that stop is not complete). */
export async function startRecordedCluster(record: ClusterRecord, options: EtcdStartOptions & { onDir?(dir: string): void }): Promise<RecordedCluster> {
  const ownsDir = options.dir === undefined;
  const dir = options.dir ?? chooseClusterDir();
  const lock = combineTargetLocks(await acquireTargetLocks(await getTargetLockKeys({ driver: 'etcd', dir }), record.runId));
  const intent: Intent = {
    id: record.id,
    kind: 'target',
    createdAt: new Date().toISOString(),
    pid: process.pid,
    runId: record.runId,
    ...(record.scenario !== undefined ? { scenario: record.scenario } : {}),
    target: { driver: 'etcd', dir, ownsDir },
    ...(record.recordFile !== undefined ? { recordFile: record.recordFile } : {}),
  };
  try {
    record.ledger?.open(intent);
    // The record names the cluster from the start: a `target up` killed half-way leaves nothing recover cannot find.
    options.onDir?.(dir);
  } catch (error) {
    lock.release();
    throw error;
  }
  const stop = async () => {
    const report = await stopEtcdCluster(dir, { ownsDir });
    if (report.complete) {
      record.ledger?.close(intent);
      lock.release();
    }
    return report;
  };
  let state: EtcdClusterState;
  try {
    const { onDir: _onDir, ...startOptions } = options;
    state = await startEtcdCluster({ ...startOptions, dir, ownsDir });
  } catch (error) {
    const report = await stop().catch((stopError: unknown) => ({ complete: false, left: [`(stop failed: ${getErrorMessage(stopError)})`], notes: [] }));
    if (report.complete) throw error;
    throw new RollbackError(`${getErrorMessage(error)}\n  after the failed start, still running: ${report.left.join('; ')}`, {
      cause: error,
      hint: record.ledger ? 'run `faultline recover` once they are gone (the target intent is kept)' : `stop it with \`faultline target down etcd --dir ${dir}\``,
    });
  }
  return { state, intent, stop, detach: () => { record.ledger?.close(intent); lock.release(); } };
}
