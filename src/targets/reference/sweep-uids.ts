// The last step of stop: kill whatever still runs as the instance's dedicated uid. The uid comes from
// the root-owned lock that names the instance's dir; target.json, which the uid itself can write, is
// only compared with it, so a forged or corrupted one cannot turn stop against another account.
import { listUidProcesses } from '../../util/proc-usage.js';
import { UID_BASE, UID_SPAN, isReservedUid, type RunAs } from './run-as.js';
import { findUidLocks, releaseUidLock } from './uid-lock.js';

const SWEEP_TIMEOUT_MS = 5000;

/**
 * Sweeps every reserved uid locked to one of `dirs` (the instance's path and real path) and releases
 * its lock; returns notes on what it refused or could not do. `claimed` is target.json's runAs.
 */
export async function sweepInstanceUids(dirs: readonly string[], claimed: RunAs | undefined): Promise<string[]> {
  const notes: string[] = [];
  const locks = findUidLocks([...new Set(dirs)]);
  for (const lock of locks) {
    if (!isReservedUid(lock.uid)) {
      notes.push(`uid ${lock.uid} is outside the reserved range ${UID_BASE}–${UID_BASE + UID_SPAN - 1}: its leftover processes were not killed by uid`);
      releaseUidLock(lock.uid, lock.dir);
      continue;
    }
    const left = await killUidProcesses(lock.uid);
    if (left === 0) releaseUidLock(lock.uid, lock.dir);
    else notes.push(`${left} process(es) of uid ${lock.uid} survived SIGKILL for ${SWEEP_TIMEOUT_MS / 1000} s (uninterruptible I/O?); the uid stays locked to ${lock.dir}`);
  }
  if (claimed?.dedicated && !locks.some((lock) => lock.uid === claimed.uid)) {
    notes.push(
      `target.json names uid ${claimed.uid} as this instance's, but no root-owned lock assigns that uid to ${dirs[0]}: ` +
        'its processes were left alone (target.json is writable by the instance and is not trusted for this)',
    );
  }
  return notes;
}

// SIGKILL every process of the uid until none is left (a process in uninterruptible I/O dies only when
// that ends); never pid 1 or ourselves. Returns how many are left.
async function killUidProcesses(uid: number): Promise<number> {
  if (uid === 0 || uid === process.getuid?.()) return listUidProcesses(uid).length;
  const deadline = performance.now() + SWEEP_TIMEOUT_MS;
  for (;;) {
    const left = listUidProcesses(uid).filter((entry) => entry.pid > 1 && entry.pid !== process.pid);
    if (left.length === 0 || performance.now() > deadline) return left.length;
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
