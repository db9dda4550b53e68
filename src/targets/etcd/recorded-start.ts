// Starts a cluster the way every managed target starts (startRecordedInstance): the directory is chosen
// and locked, and the ledger intent naming it fsync'd, before anything is created; the intent goes only
// once a stop confirms nothing of the cluster is left, so `faultline recover` finds whatever a crash leaves.
import type { Intent, Ledger } from '../../run/ledger.js';
import { startRecordedInstance, type InstanceLifecycle } from '../drivers/reference-recorded-start.js';
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

const ETCD_LIFECYCLE: InstanceLifecycle = {
  chooseDir: chooseClusterDir,
  describe: (dir, ownsDir) => ({ driver: 'etcd', dir, ownsDir }),
  stop: (dir, ownsDir) => stopEtcdCluster(dir, { ownsDir }),
  downCommand: 'faultline target down etcd',
};

/** Locks, records, starts; a failed start is stopped again (the intent kept when that stop is not complete). */
export async function startRecordedCluster(record: ClusterRecord, options: EtcdStartOptions & { onDir?(dir: string): void }): Promise<RecordedCluster> {
  const { onDir, dir: givenDir, ...startOptions } = options;
  const recorded = await startRecordedInstance(
    { ...record, ...(givenDir !== undefined ? { dir: givenDir } : {}) },
    (dir) => {
      // The record names the cluster from the start: a `target up` killed half-way leaves nothing recover cannot find.
      onDir?.(dir);
      return startEtcdCluster({ ...startOptions, dir, ownsDir: givenDir === undefined });
    },
    ETCD_LIFECYCLE,
  );
  return { state: recorded.value, intent: recorded.intent, stop: recorded.stop, detach: recorded.detach };
}
