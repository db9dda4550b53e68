// faultline's own CPU priority while it measures. On a loaded host (a chaos tool loads its host on
// purpose) a process at normal priority waits milliseconds for a CPU, and every such wait delays a
// timestamp; as root, faultline's sampling thread and its long-lived helpers (the tmux control client)
// run at nice -10 from inject to recovery. Processes a fault starts (hogs) are put back to the
// priority faultline had, so a fault's strength does not change with faultline's priority.
import { getPriority, setPriority } from 'node:os';

// FAULTLINE_NICE=0 measures at normal priority.
const RAISED = Number(process.env.FAULTLINE_NICE ?? -10);
let normal: number | undefined;

/** Raises the calling thread (the event loop) and `helpers()` when root allows; returns the function that puts them back. */
export function raiseOwnPriority(helpers: () => readonly number[] = () => []): () => void {
  if (normal !== undefined || RAISED === 0 || process.getuid?.() !== 0) return () => undefined;
  let previous: number;
  try {
    previous = getPriority();
    if (previous <= RAISED) return () => undefined;
    setPriority(RAISED);
  } catch {
    return () => undefined;
  }
  normal = previous;
  setEach(helpers(), RAISED);
  return () => {
    setEach(helpers(), previous);
    try {
      setPriority(previous);
    } catch {
      // Could not lower again: the next raise is then a no-op.
    }
    normal = undefined;
  };
}

/** Puts a process faultline started back to faultline's normal priority (no-op unless raised). */
export function setNormalPriority(pid: number | undefined): void {
  if (normal !== undefined && pid !== undefined) setEach([pid], normal);
}

function setEach(pids: readonly number[], priority: number): void {
  for (const pid of pids) {
    try {
      setPriority(pid, priority);
    } catch {
      // Gone already.
    }
  }
}
