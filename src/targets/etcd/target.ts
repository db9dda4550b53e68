// The Target of an etcd cluster: its members as `services` (kind etcd, the client port; a peer
// endpoint each), each member's etcd as a declared process, each member's tmpfs as a bounded data area.
import { join, isAbsolute, resolve } from 'node:path';
import { GuardError } from '../../errors.js';
import type { DataAreaInfo, DeclaredProcess, ServiceEndpoint, Target } from '../types.js';
import type { EtcdClusterState } from './layout.js';
import { ETCD_SERVICE_KIND } from './endpoints.js';

/** The target name of every etcd cluster. */
export const ETCD_TARGET_NAME = 'etcd';

/** Builds the Target from a cluster's state (read from cluster.json, or a plan's placeholder). */
export function createEtcdTarget(state: EtcdClusterState): Target {
  const services: ServiceEndpoint[] = state.members.flatMap((member) => [
    { name: member.name, kind: ETCD_SERVICE_KIND, host: member.host, port: member.clientPort, ...(member.namespace ? { namespace: member.namespace } : {}), process: member.name },
    { name: `${member.name}-peer`, kind: 'tcp' as const, host: member.host, port: member.peerPort, ...(member.namespace ? { namespace: member.namespace } : {}), process: member.name },
  ]);
  const processes: DeclaredProcess[] = state.members.map((member) => ({ name: member.name, pidfile: member.pidfile }));
  const dataAreas: DataAreaInfo[] = state.members.map((member) => ({ path: member.dir, kind: member.mounted ? 'tmpfs' : 'directory', sizeBytes: member.sizeBytes }));
  const roots = [join(state.dir, 'members'), join(state.dir, 'logs')];
  return {
    name: ETCD_TARGET_NAME,
    driver: 'etcd',
    capabilities: ['services'],
    home: state.dir,
    services,
    processes,
    roots,
    env: { PATH: '/usr/sbin:/usr/bin:/sbin:/bin', ETCDCTL_API: '3', ETCDCTL_ENDPOINTS: state.members.map((member) => `http://${member.host}:${member.clientPort}`).join(',') },
    ...(state.runAs.uid !== 0 ? { runAs: { uid: state.runAs.uid, gid: state.runAs.gid } } : {}),
    dataAreas,
    resolvePath: (path) => (isAbsolute(path) ? path : resolve(state.dir, path)),
    tmux: async () => {
      throw new GuardError('the etcd target has no tmux server: this needs the tmux capability', { hint: 'use faults and probes for services and processes (etcd.*, process.*, net.*)' });
    },
    describe: () => ({
      name: ETCD_TARGET_NAME,
      driver: 'etcd',
      home: state.dir,
      capabilities: ['services'],
      etcd: state.etcd,
      network: state.network.mode === 'namespaces' ? `a namespace per member on ${state.network.subnet}` : 'loopback ports',
      members: state.members.map((member) => `${member.name} ${member.host}:${member.clientPort}${member.namespace ? ` (netns ${member.namespace})` : ''}`),
      raft: { heartbeatMs: state.heartbeatMs, electionMs: state.electionMs },
      runAs: state.runAs.uid,
      roots,
    }),
  };
}
