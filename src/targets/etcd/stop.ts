// Stops a cluster and leaves nothing: its members (by pidfile, checked against the member's data dir),
// anything else its dedicated uid still runs, the members' tmpfs mounts, its uid lock, its namespaces
// and (when faultline chose it) its directory. Safe to call again after a partial stop.
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { readProcess } from '../../faults/proc-table.js';
import { readPidFile } from '../../util/pid.js';
import { listUidProcesses } from '../../util/proc-usage.js';
import { sleep } from '../../util/clock.js';
import { isMounted, unmountDataArea } from '../reference/mount.js';
import { releaseUidLock } from '../reference/uid-lock.js';
import { isReservedUid } from '../reference/uid-range.js';
import type { TargetStopReport } from '../types.js';
import { removeNetwork } from './network.js';
import { tryReadClusterState, type EtcdClusterState, type EtcdMember } from './layout.js';

/** Stops the cluster in `dir`; `complete` only when nothing of it runs or stays mounted. */
export async function stopEtcdCluster(dir: string, options: { ownsDir?: boolean } = {}): Promise<TargetStopReport> {
  const state = tryReadClusterState(dir);
  const notes: string[] = [];
  const left: string[] = [];
  const members = state?.members ?? [];
  await killMembers(members, notes);
  if (state?.runAs.dedicated && isReservedUid(state.runAs.uid)) await killUid(state.runAs.uid, notes);
  for (const member of members) {
    const alive = findMemberProcess(member);
    if (alive !== undefined) left.push(`etcd member ${member.name} pid ${alive}`);
  }
  if (state?.runAs.dedicated && isReservedUid(state.runAs.uid)) {
    const strays = listUidProcesses(state.runAs.uid);
    if (strays.length > 0) left.push(`${strays.length} process(es) of uid ${state.runAs.uid}: ${strays.map((stray) => stray.pid).join(', ')}`);
  }
  for (const memberDir of listMemberDirs(dir, members)) {
    if (isMounted(memberDir) && !(await unmountDataArea(memberDir))) left.push(`tmpfs mounted at ${memberDir}`);
  }
  // Deleting a namespace kills what still runs inside it: only once the members are known gone.
  if (state && left.length === 0) left.push(...(await removeNetwork(state.network)));
  if (left.length === 0 && state?.runAs.dedicated) releaseUidLock(state.runAs.uid, dir);
  const ownsDir = options.ownsDir ?? state?.ownsDir ?? false;
  if (left.length === 0 && ownsDir && existsSync(dir)) {
    rmSync(dir, { recursive: true, force: true });
    notes.push(`removed ${dir}`);
  }
  return { complete: left.length === 0, left, notes };
}

/** The live pid of a member: its pidfile's, only while that process still runs etcd on this member's data dir. */
export function findMemberProcess(member: Pick<EtcdMember, 'pidfile' | 'dataDir'>): number | undefined {
  const pid = readPidFile(member.pidfile);
  if (pid === undefined) return undefined;
  const info = readProcess(pid);
  if (!info || info.state === 'Z' || !info.argv.includes(member.dataDir)) return undefined;
  return pid;
}

async function killMembers(members: readonly EtcdMember[], notes: string[]): Promise<void> {
  const running = members.map((member) => ({ member, pid: findMemberProcess(member) })).filter((entry) => entry.pid !== undefined);
  for (const { pid } of running) {
    // A member hung by process.stop must run to act on SIGTERM.
    signal(pid!, 'SIGCONT');
    signal(pid!, 'SIGTERM');
  }
  const deadline = performance.now() + 1000;
  while (running.some(({ member }) => findMemberProcess(member) !== undefined) && performance.now() < deadline) await sleep(20);
  for (const { member } of running) {
    const pid = findMemberProcess(member);
    if (pid !== undefined) {
      signal(pid, 'SIGKILL');
      notes.push(`member ${member.name} (pid ${pid}) still ran 1 s after SIGTERM (a leader waits for its peers): SIGKILL`);
    }
  }
  const killDeadline = performance.now() + 2000;
  while (running.some(({ member }) => findMemberProcess(member) !== undefined) && performance.now() < killDeadline) await sleep(20);
}

async function killUid(uid: number, notes: string[]): Promise<void> {
  const strays = listUidProcesses(uid, { includeZombies: false });
  for (const stray of strays) signal(stray.pid, 'SIGKILL');
  if (strays.length > 0) notes.push(`killed ${strays.length} stray process(es) of uid ${uid}`);
  const deadline = performance.now() + 2000;
  while (listUidProcesses(uid).length > 0 && performance.now() < deadline) await sleep(20);
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // Gone already.
  }
}

// The member dirs of the state, plus any under members/ (a start that died before writing all of them).
function listMemberDirs(dir: string, members: readonly EtcdMember[]): string[] {
  const dirs = new Set(members.map((member) => member.dir));
  try {
    for (const name of readdirSync(join(dir, 'members'))) dirs.add(join(dir, 'members', name));
  } catch {
    // No members/ yet.
  }
  return [...dirs];
}

export type { EtcdClusterState };
