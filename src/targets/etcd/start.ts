// Starts a cluster of etcd members (Debian's /usr/bin/etcd 3.4): each member with its own data area
// (a small tmpfs when root, so disk.fill of one member is bounded), its own log and pidfile, running
// as an unprivileged uid when faultline is root. cluster.json is written before the first member
// starts, so stop (and `faultline recover`) find everything a half-done start leaves.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chownSync, closeSync, constants, existsSync, mkdirSync, openSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetError } from '../../errors.js';
import { writeFileAtomic } from '../../util/files.js';
import { sleep } from '../../util/clock.js';
import { mountDataArea } from '../reference/mount.js';
import { chooseRunAs } from '../reference/run-as.js';
import { getHealth, getMemberStatus } from './client.js';
import { getClientUrl, getMemberNames, getMemberPaths, getPeerUrl, STATE_FILE, type EtcdClusterState, type EtcdMember } from './layout.js';
export type { MemberPlacement } from './layout.js';
import { chooseNetworkPrefix, getDefaultNetworkMode, placeInNamespaces, placeOnLoopback, type NetworkMode } from './network.js';

/** The etcd binary Debian's etcd-server package installs. */
export const ETCD_BINARY = '/usr/bin/etcd';

/** Default size of a member's tmpfs: etcd 3.4 preallocates 64 MB WAL segments, and the backend quota (a quarter) must fit beside them. */
export const DEFAULT_DATA_MIB = 192;

/** How to start a cluster. */
export interface EtcdStartOptions {
  /** Instance directory; default a fresh one under the temp dir, which stop removes. */
  dir?: string;
  /** faultline chose `dir` (stop removes it); default: only when no dir is given. */
  ownsDir?: boolean;
  size?: number;
  /** Raft heartbeat and election timeout (etcd's --heartbeat-interval / --election-timeout), ms. */
  heartbeatMs?: number;
  electionMs?: number;
  /** Size of each member's data tmpfs. */
  dataSizeMiB?: number;
  /** Where members live: a namespace each (default as root) or loopback ports. */
  network?: NetworkMode;
  /** The name prefix of the cluster's namespaces and links (default fl-etcd-<random>); it must be unused. */
  networkPrefix?: string;
  readyTimeoutMs?: number;
}

/** A fresh instance directory name under the temp dir. */
export function chooseClusterDir(): string {
  return join(realpathSync(tmpdir()), `faultline-etcd-${randomBytes(6).toString('hex')}`);
}

/**
 * Starts the members and waits until every one is healthy; returns the state written to cluster.json.
 * A start that fails is stopped again (what it made removed) before the error is thrown.
 */
export async function startEtcdCluster(options: EtcdStartOptions): Promise<EtcdClusterState> {
  const dir = options.dir ?? chooseClusterDir();
  try {
    return await startMembers({ ...options, dir, ownsDir: options.ownsDir ?? options.dir === undefined });
  } catch (error) {
    const { stopEtcdCluster } = await import('./stop.js');
    await stopEtcdCluster(dir).catch(() => undefined);
    throw error;
  }
}

async function startMembers(options: EtcdStartOptions & { dir: string }): Promise<EtcdClusterState> {
  if (!existsSync(ETCD_BINARY)) throw new TargetError(`${ETCD_BINARY} not found`, { hint: 'install Debian’s etcd-server package (apt-get install etcd-server)' });
  const size = options.size ?? 3;
  const heartbeatMs = options.heartbeatMs ?? 100;
  const electionMs = options.electionMs ?? 1000;
  if (electionMs < 5 * heartbeatMs) throw new TargetError(`electionMs ${electionMs} must be at least 5 × heartbeatMs (${heartbeatMs}), as etcd requires`);
  const ownsDir = options.ownsDir ?? false;
  const dir = options.dir;
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  for (const sub of ['members', 'logs', 'run']) mkdirSync(join(dir, sub), { recursive: true, mode: 0o755 });
  const runAs = chooseRunAs(dir, { processBudget: 4096, memoryBudgetMiB: 4096 });
  const token = `fl-etcd-${randomBytes(4).toString('hex')}`;
  const members: EtcdMember[] = getMemberNames(size).map((name) => ({ name, host: '', clientPort: 0, peerPort: 0, ...getMemberPaths(dir, name), mounted: false, sizeBytes: (options.dataSizeMiB ?? DEFAULT_DATA_MIB) * 1024 * 1024 }));
  const state: EtcdClusterState = {
    kind: 'etcd-cluster', dir, ownsDir, token, members, heartbeatMs, electionMs, etcd: ETCD_BINARY, startedAt: Date.now(),
    runAs: { uid: runAs.uid, gid: runAs.gid, dedicated: runAs.dedicated, ...(runAs.note ? { note: runAs.note } : {}) },
    network: { mode: 'loopback' },
  };
  // Recorded before the namespaces exist: their prefix is all stop needs to find them.
  const mode = options.network ?? getDefaultNetworkMode();
  const prefix = options.networkPrefix ?? chooseNetworkPrefix();
  if (mode === 'namespaces') state.network = { mode: 'namespaces', prefix, subnet: '', bridge: '' };
  writeState(state);
  const placed = mode === 'namespaces' ? await placeInNamespaces(prefix, getMemberNames(size)) : { placements: await placeOnLoopback(size), network: { mode: 'loopback' as const } };
  state.network = placed.network;
  placed.placements.forEach((placement, index) => Object.assign(state.members[index]!, placement));
  writeState(state);
  for (const member of members) {
    mkdirSync(member.dir, { recursive: true, mode: 0o755 });
    const area = await mountDataArea(member.dir, options.dataSizeMiB ?? DEFAULT_DATA_MIB, runAs);
    member.mounted = area.kind === 'tmpfs';
    writeState(state);
    chownSync(member.dir, runAs.uid, runAs.gid);
  }
  chownSync(join(dir, 'logs'), runAs.uid, runAs.gid);
  const initialCluster = members.map((member) => `${member.name}=${getPeerUrl(member)}`).join(',');
  for (const member of members) spawnMember(state, member, initialCluster);
  await waitUntilHealthy(state, options.readyTimeoutMs ?? 30_000);
  state.readyAt = Date.now();
  state.ids = await readMemberIds(state);
  writeState(state);
  return state;
}

/** The member ids etcd gave each member (decimal, as the gateway prints them) → member name. */
export async function readMemberIds(state: EtcdClusterState, timeoutMs = 1000): Promise<Record<string, string>> {
  const ids: Record<string, string> = {};
  for (const member of state.members) {
    const status = await getMemberStatus(getClientUrl(member), timeoutMs).catch(() => undefined);
    if (status) ids[status.memberId] = member.name;
  }
  return ids;
}

function writeState(state: EtcdClusterState): void {
  writeFileAtomic(join(state.dir, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
}

// One member, detached (it outlives a `target up`), as the cluster's uid; in its namespace through
// `ip netns exec` and `setpriv` (both exec, so the pid recorded is etcd's own).
function spawnMember(state: EtcdClusterState, member: EtcdMember, initialCluster: string): void {
  const args = [
    '--name', member.name,
    '--data-dir', member.dataDir,
    '--listen-client-urls', getClientUrl(member),
    '--advertise-client-urls', getClientUrl(member),
    '--listen-peer-urls', getPeerUrl(member),
    '--initial-advertise-peer-urls', getPeerUrl(member),
    '--initial-cluster', initialCluster,
    '--initial-cluster-token', state.token,
    '--initial-cluster-state', 'new',
    '--heartbeat-interval', String(state.heartbeatMs),
    '--election-timeout', String(state.electionMs),
    // The backend quota stays well below the member's tmpfs (beside a 64 MB WAL segment).
    '--quota-backend-bytes', String(Math.floor(member.sizeBytes / 4)),
    '--snapshot-count', '10000',
    '--logger', 'zap',
    '--log-outputs', 'stderr',
  ];
  const log = openSync(member.log, constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_NOFOLLOW, 0o644);
  try {
    chownSync(member.log, state.runAs.uid, state.runAs.gid);
    const asUser = state.runAs.uid !== (process.getuid?.() ?? 0);
    const [file, argv, identity] = member.namespace
      ? ['ip', ['netns', 'exec', member.namespace, ...(asUser ? ['setpriv', `--reuid=${state.runAs.uid}`, `--regid=${state.runAs.gid}`, '--clear-groups', '--'] : []), ETCD_BINARY, ...args], {}]
      : [ETCD_BINARY, args, asUser ? { uid: state.runAs.uid, gid: state.runAs.gid } : {}];
    const child = spawn(file, argv, { detached: true, stdio: ['ignore', log, log], cwd: member.dir, env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ETCD_UNSUPPORTED_ARCH: process.env.ETCD_UNSUPPORTED_ARCH ?? '' }, ...identity });
    if (child.pid === undefined) throw new TargetError(`etcd member ${member.name} did not start`);
    child.on('error', () => undefined);
    child.unref();
    writeFileAtomic(member.pidfile, `${child.pid}\n`);
  } finally {
    closeSync(log);
  }
}

async function waitUntilHealthy(state: EtcdClusterState, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  let last = '';
  while (performance.now() < deadline) {
    const answers = await Promise.all(state.members.map((member) => getHealth(getClientUrl(member), 1000)));
    if (answers.every((answer) => answer.healthy)) return;
    last = answers.map((answer, index) => `${state.members[index]!.name}: ${answer.detail}`).join('; ');
    await sleep(100);
  }
  throw new TargetError(`the etcd cluster in ${state.dir} was not healthy within ${timeoutMs} ms (${last})`, { hint: `see the members' logs in ${join(state.dir, 'logs')}` });
}
