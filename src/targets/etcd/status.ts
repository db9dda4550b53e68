// What `faultline target status etcd` shows: each member's process, health and view of the leader.
import { findMemberProcess } from './stop.js';
import { getHealth } from './client.js';
import { readLeaderView } from './leader.js';
import { getClientUrl, tryReadClusterState, type EtcdClusterState } from './layout.js';
import { isMounted } from '../reference/mount.js';

/** One member's status. */
export interface EtcdMemberStatus {
  name: string;
  endpoint: string;
  namespace?: string;
  pid?: number;
  healthy: boolean;
  health: string;
  follows?: string;
  mounted: boolean;
}

/** The cluster's status; `running` when any member runs, `healthy` when every one is healthy and a majority follows one leader. */
export interface EtcdStatus {
  dir: string;
  running: boolean;
  healthy: boolean;
  leader?: string;
  network?: EtcdClusterState['network'];
  runAs?: EtcdClusterState['runAs'];
  members: EtcdMemberStatus[];
}

/** Reads the status of the cluster in `dir` (an empty one when there is no cluster.json). */
export async function getEtcdStatus(dir: string): Promise<EtcdStatus> {
  const state = tryReadClusterState(dir);
  if (!state) return { dir, running: false, healthy: false, members: [] };
  const view = await readLeaderView(state.members, { ...(state.ids ?? {}) }, 500);
  const members = await Promise.all(state.members.map(async (member): Promise<EtcdMemberStatus> => {
    const pid = findMemberProcess(member);
    const health = pid === undefined ? { healthy: false, detail: 'not running' } : await getHealth(getClientUrl(member), 500);
    const follows = view.members.find((entry) => entry.name === member.name)?.follows;
    return {
      name: member.name, endpoint: getClientUrl(member), ...(member.namespace ? { namespace: member.namespace } : {}), ...(pid !== undefined ? { pid } : {}),
      healthy: health.healthy, health: health.detail, ...(follows ? { follows } : {}), mounted: member.mounted && isMounted(member.dir),
    };
  }));
  return {
    dir, running: members.some((member) => member.pid !== undefined), healthy: members.every((member) => member.healthy) && view.leader !== undefined,
    ...(view.leader ? { leader: view.leader } : {}), network: state.network, runAs: state.runAs, members,
  };
}
