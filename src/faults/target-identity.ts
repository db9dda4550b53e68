// Who the target's processes run as and under which process limit, read in /proc from the process that
// anchors the target (its tmux server, else its supervisor, else its first declared process): resource
// faults run their hogs as that uid, and process exhaustion fills that uid's budget.
import { readFileSync } from 'node:fs';
import { GuardError } from '../errors.js';
import { resolveDeclaredProcess } from '../targets/declared-processes.js';
import type { Target } from '../targets/types.js';
import { readProcessTable } from './proc-table.js';
import { readProcessLimit } from '../util/proc-usage.js';
import type { HogIdentity } from './hogs.js';
import { describeSocket } from './tmux-objects.js';

/** The target's anchoring process as the kernel sees it. */
export interface TargetIdentity {
  /** The tmux server, the supervisor or the first declared process. */
  serverPid: number;
  uid: number;
  gid: number;
  /** Soft RLIMIT_NPROC of the server (inherited by everything it starts); null = unlimited. */
  processLimit: number | null;
}

/** Reads the identity of the target's anchoring process; GuardError when it is not running. */
export async function getTargetIdentity(target: Target): Promise<TargetIdentity> {
  const serverPid = await findAnchorPid(target);
  if (serverPid === undefined) {
    const what = target.socket ? `tmux server on ${describeSocket(target)}` : target.supervisor ? target.supervisor.describe() : 'declared processes';
    throw new GuardError(`fault: the target's ${what} is not running, so its processes' uid and limits are unknown`, { hint: 'start the target first' });
  }
  const status = readFileSync(`/proc/${serverPid}/status`, 'utf8');
  const uid = Number(/^Uid:\s+(\d+)/m.exec(status)?.[1]);
  const gid = Number(/^Gid:\s+(\d+)/m.exec(status)?.[1]);
  return { serverPid, uid, gid, processLimit: readProcessLimit(serverPid) ?? null };
}

/** The identity when the target's tmux server runs; undefined before the target is started (plans). */
export async function findTargetIdentity(target: Target): Promise<TargetIdentity | undefined> {
  try {
    return await getTargetIdentity(target);
  } catch (error) {
    if (error instanceof GuardError) return undefined;
    throw error;
  }
}

/** Hogs run as the target's uid when faultline is root and the target is not; else as faultline's own uid. */
export function getHogIdentity(identity: TargetIdentity): HogIdentity {
  const self = process.getuid?.() ?? 0;
  return self === 0 && identity.uid !== 0 ? { uid: identity.uid, gid: identity.gid } : undefined;
}

// The tmux server, else the supervisor, else the first live declared process.
async function findAnchorPid(target: Target): Promise<number | undefined> {
  if (target.socket) {
    const result = await target.tmux(['display-message', '-p', '#{pid}']);
    const pid = Number(result.stdout.trim());
    return result.exitCode === 0 && Number.isInteger(pid) && pid > 1 ? pid : undefined;
  }
  if (target.supervisor) return target.supervisor.getPid().catch(() => undefined);
  const table = readProcessTable();
  for (const declared of target.processes ?? []) {
    const [pid] = await resolveDeclaredProcess(target, declared, table);
    if (pid !== undefined) return pid;
  }
  return undefined;
}
