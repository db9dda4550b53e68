// Who leads the cluster now, as a majority of its members see it: the one view probes, the leader
// selector of process faults and status share.
import { getClientUrl, type EtcdMember } from './layout.js';
import { getMemberStatus } from './client.js';

/** The cluster's view: each member's answer, and the leader a majority agrees on (if any). */
export interface LeaderView {
  /** The member a majority of all members follows (a partitioned minority never counts). */
  leader?: string;
  /** Per member: the leader it follows, or why it did not answer. */
  members: Array<{ name: string; answered: boolean; follows?: string; term?: string; detail?: string }>;
}

/**
 * Asks every member (in parallel, bounded) whom it follows. `ids` maps etcd member ids to names; each
 * answer adds its own member's id to it, so a caller that keeps the map can name a leader it cannot reach.
 */
export async function readLeaderView(members: readonly Pick<EtcdMember, 'name' | 'host' | 'clientPort'>[], ids: Record<string, string>, timeoutMs: number): Promise<LeaderView> {
  const statuses = await Promise.all(members.map((member) => getMemberStatus(getClientUrl(member), timeoutMs).then((status) => ({ status }), (error: Error) => ({ error }))));
  statuses.forEach((answer, index) => {
    if ('status' in answer) ids[answer.status.memberId] = members[index]!.name;
  });
  const answers: LeaderView['members'] = await Promise.all(members.map(async (member, index): Promise<LeaderView['members'][number]> => {
    try {
      const answer = statuses[index]!;
      if ('error' in answer) throw answer.error;
      const status = answer.status;
      const follows = status.leader === '0' ? undefined : ids[status.leader] ?? `id ${status.leader}`;
      return { name: member.name, answered: true, ...(follows ? { follows } : {}), term: status.raftTerm };
    } catch (error) {
      return { name: member.name, answered: false, detail: (error as Error).message };
    }
  }));
  const votes = new Map<string, number>();
  for (const answer of answers) if (answer.follows) votes.set(answer.follows, (votes.get(answer.follows) ?? 0) + 1);
  const majority = Math.floor(members.length / 2) + 1;
  const leader = [...votes].find(([name, count]) => count >= majority && members.some((member) => member.name === name))?.[0];
  return { ...(leader ? { leader } : {}), members: answers };
}

/** One line: "m2 leads (m1→m2, m2→m2, m3: ECONNREFUSED)". */
export function describeLeaderView(view: LeaderView): string {
  const parts = view.members.map((member) => (member.answered ? `${member.name}→${member.follows ?? 'none'}` : `${member.name}: ${member.detail ?? 'no answer'}`));
  return `${view.leader ? `${view.leader} leads` : 'no leader a majority follows'} (${parts.join(', ')})`;
}
