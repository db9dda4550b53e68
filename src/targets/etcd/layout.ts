// The layout of an etcd cluster instance: its directory, its members (name, addresses, data area),
// and the state file (cluster.json) that stop, status, the driver and `faultline recover` read back.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TargetError } from '../../errors.js';

/** The state file of an instance, in its directory. */
export const STATE_FILE = 'cluster.json';

/** One member as started: where it listens and what faultline keeps of it. */
export interface EtcdMember {
  name: string;
  /** The address it listens on: 127.0.0.1 (loopback mode) or its namespace's own address. */
  host: string;
  clientPort: number;
  peerPort: number;
  /** The network namespace it runs in ("namespace-host"), when it has one. */
  namespace?: string;
  /** Its own directory (a tmpfs when root): data/ lives here, so disk.fill of a member is bounded. */
  dir: string;
  dataDir: string;
  log: string;
  pidfile: string;
  /** Whether dir is a tmpfs faultline mounted (stop unmounts it). */
  mounted: boolean;
  sizeBytes: number;
}

/** Where one member lives on the network: loopback ports, or a namespace-host's own address. */
export interface MemberPlacement {
  host: string;
  clientPort: number;
  peerPort: number;
  namespace?: string;
}

/** What cluster.json holds. */
export interface EtcdClusterState {
  kind: 'etcd-cluster';
  dir: string;
  /** faultline chose the directory: stop removes it. */
  ownsDir: boolean;
  token: string;
  members: EtcdMember[];
  runAs: { uid: number; gid: number; dedicated: boolean; note?: string };
  heartbeatMs: number;
  electionMs: number;
  etcd: string;
  startedAt: number;
  readyAt?: number;
  /** Where the members live on the network (removed on stop when faultline made namespaces). */
  network: EtcdNetwork;
  /** etcd member id (decimal, as the gateway prints it) → member name, read once the cluster was up. */
  ids?: Record<string, string>;
}

/** The cluster's network: loopback ports, or namespaces (and a bridge) named by one prefix. */
export type EtcdNetwork = { mode: 'loopback' } | { mode: 'namespaces'; prefix: string; subnet: string; bridge: string };

/** The member names of a cluster of `size`. */
export function getMemberNames(size: number): string[] {
  return Array.from({ length: size }, (_, index) => `m${index + 1}`);
}

/** The paths of one member under the instance directory. */
export function getMemberPaths(dir: string, name: string): Pick<EtcdMember, 'dir' | 'dataDir' | 'log' | 'pidfile'> {
  const memberDir = join(dir, 'members', name);
  return { dir: memberDir, dataDir: join(memberDir, 'data'), log: join(dir, 'logs', `${name}.log`), pidfile: join(dir, 'run', `${name}.pid`) };
}

/** The client URL of a member. */
export function getClientUrl(member: Pick<EtcdMember, 'host' | 'clientPort'>): string {
  return `http://${member.host}:${member.clientPort}`;
}

/** The peer URL of a member. */
export function getPeerUrl(member: Pick<EtcdMember, 'host' | 'peerPort'>): string {
  return `http://${member.host}:${member.peerPort}`;
}

/** Reads cluster.json of an instance; TargetError when there is none. */
export function readClusterState(dir: string): EtcdClusterState {
  let text: string;
  try {
    text = readFileSync(join(dir, STATE_FILE), 'utf8');
  } catch (error) {
    throw new TargetError(`no etcd cluster at ${dir} (${STATE_FILE} missing)`, { hint: 'start one with `faultline target up etcd`', cause: error });
  }
  const state = JSON.parse(text) as EtcdClusterState;
  if (state.kind !== 'etcd-cluster' || !Array.isArray(state.members)) throw new TargetError(`${join(dir, STATE_FILE)} is not an etcd cluster state file`);
  return state;
}

/** Reads cluster.json, or undefined when the instance has none (a start that never got that far). */
export function tryReadClusterState(dir: string): EtcdClusterState | undefined {
  try {
    return readClusterState(dir);
  } catch {
    return undefined;
  }
}
