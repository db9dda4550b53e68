// Who the target's processes run as and under which process limit, read from its tmux server in /proc:
// resource faults run their hogs as that uid, and process exhaustion fills that uid's budget.
import { readFileSync } from 'node:fs';
import { GuardError } from '../errors.js';
import type { Target } from '../targets/types.js';
import { readProcessLimit } from '../util/proc-usage.js';
import type { HogIdentity } from './hogs.js';
import { describeSocket } from './tmux-objects.js';

/** The target's tmux server as the kernel sees it. */
export interface TargetIdentity {
  serverPid: number;
  uid: number;
  gid: number;
  /** Soft RLIMIT_NPROC of the server (inherited by everything it starts); null = unlimited. */
  processLimit: number | null;
}

/** Reads the identity of the target's tmux server; GuardError when it is not running. */
export async function getTargetIdentity(target: Target): Promise<TargetIdentity> {
  const result = await target.tmux(['display-message', '-p', '#{pid}']);
  const serverPid = Number(result.stdout.trim());
  if (result.exitCode !== 0 || !Number.isInteger(serverPid) || serverPid <= 1) {
    throw new GuardError(`fault: the target's tmux server on ${describeSocket(target)} is not running, so its processes' uid and limits are unknown`, { hint: 'start the target first' });
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
