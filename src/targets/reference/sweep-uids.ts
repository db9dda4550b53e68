// The last step of stop: kill whatever still runs as the instance's dedicated uid. The uid comes from
// the root-owned lock that names the instance's dir; target.json, which the uid itself can write, is
// only compared with it, so a forged or corrupted one cannot turn stop against another account.
import { listUidProcesses } from '../../util/proc-usage.js';
import { UID_BASE, UID_SPAN, isReservedUid, type RunAs } from './run-as.js';
import { findDeadGuard, findUidLocks, releaseUidLock, type UidLock } from './uid-lock.js';

const SWEEP_TIMEOUT_MS = 5000;

/** What a sweep did not finish: processes that survived (`left`) and what it refused (`notes`). */
export interface SweepResult {
  left: string[];
  notes: string[];
}

/**
 * Sweeps every reserved uid locked to one of `dirs` (the instance's path and real path) and releases
 * its lock once nothing runs as it (a uid with survivors stays locked). `claimed` is target.json's runAs.
 */
export async function sweepInstanceUids(dirs: readonly string[], claimed: RunAs | undefined): Promise<SweepResult> {
  const notes: string[] = [];
  const left: string[] = [];
  const locks = findUidLocks([...new Set(dirs)]);
  for (const lock of locks) {
    if (!isReservedUid(lock.uid)) {
      notes.push(`uid ${lock.uid} is outside the reserved range ${UID_BASE}–${UID_BASE + UID_SPAN - 1}: its leftover processes were not killed by uid`);
      release(lock, notes);
      continue;
    }
    const survivors = await killUidProcesses(lock.uid);
    if (survivors.length === 0) {
      release(lock, notes);
      continue;
    }
    left.push(`${survivors.length} process(es) of uid ${lock.uid} (pids ${describePids(survivors)})`);
    notes.push(`${survivors.length} process(es) of uid ${lock.uid} survived SIGKILL for ${SWEEP_TIMEOUT_MS / 1000} s (uninterruptible I/O, or something outside the instance keeps starting them); the uid stays locked to ${lock.dir}`);
  }
  if (claimed?.dedicated && !locks.some((lock) => lock.uid === claimed.uid)) {
    notes.push(
      `target.json names uid ${claimed.uid} as this instance's, but no root-owned lock assigns that uid to ${dirs[0]}: ` +
        'its processes were left alone (target.json is writable by the instance and is not trusted for this)',
    );
  }
  return { left, notes };
}

// A lock that cannot be released because a removal guard outlived its holder stays until that guard is removed by hand.
function release(lock: UidLock, notes: string[]): void {
  if (releaseUidLock(lock.uid, lock.dir)) return;
  const guard = findDeadGuard(lock.uid);
  if (guard) notes.push(`the lock on uid ${lock.uid} could not be released: ${guard} was left by a process that died; check that nothing runs as uid ${lock.uid}, then remove it`);
}

// SIGKILL every process of the uid until none is left (a process in uninterruptible I/O dies only when
// that ends); never pid 1 or ourselves. Returns the pids left.
async function killUidProcesses(uid: number): Promise<number[]> {
  if (uid === 0 || uid === process.getuid?.()) return listUidProcesses(uid).map((entry) => entry.pid);
  const deadline = performance.now() + SWEEP_TIMEOUT_MS;
  for (;;) {
    const left = listUidProcesses(uid).filter((entry) => entry.pid > 1 && entry.pid !== process.pid);
    if (left.length === 0 || performance.now() > deadline) return left.map((entry) => entry.pid);
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

function describePids(pids: readonly number[]): string {
  return pids.length <= 5 ? pids.join(', ') : `${pids.slice(0, 5).join(', ')}, …`;
}
