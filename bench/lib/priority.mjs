// Process priority for the benchmarks. On a small host, other work (a test suite on 2 cores) and the
// orchestrator's own bursts (a restarted agent starting node) delay any process by milliseconds. The
// benchmark runs the two timekeepers — faultline (with its tmux client) and the healer that stamps the
// truth — at a raised priority, the orchestrator's agents and tmux server at normal priority.
import { setPriority } from 'node:os';

const NICE = Number(process.env.BENCH_NICE ?? -10);
let allowed = NICE !== 0;

/** A line saying how the benchmark ran. */
export function describePriority() {
  if (NICE === 0) return 'normal priority (BENCH_NICE=0)';
  return allowed ? `faultline and the healer at nice ${NICE}, the orchestrator at 0 (BENCH_NICE=0 to measure without)` : `normal priority (nice ${NICE} needs root)`;
}

/** Sets this process's priority (and so that of the processes it starts from now on): 'raised' or 'normal'. */
export function setOwnPriority(level) {
  if (!allowed) return;
  try {
    setPriority(level === 'raised' ? NICE : 0);
  } catch {
    allowed = false;
  }
}

/** Raises another process (the healer) to the benchmark's priority. */
export function raisePriority(pid) {
  if (!allowed || !pid) return;
  try {
    setPriority(pid, NICE);
  } catch {
    allowed = false;
  }
}
