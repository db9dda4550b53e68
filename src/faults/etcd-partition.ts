// Fault: isolate etcd members from their peers — a member by name, or `leader` (the member a majority
// follows when the fault is prepared). Each isolated member loses every packet exchanged with each
// other member, in both directions of both members' dials (raft streams run both ways), by one
// net.partition table per pair in the isolated member's namespace; client traffic from the host stays
// open, so probes still see each member's own view. Isolating one member keeps quorum; isolating two
// of three loses it. Rollback removes every table (net.partition's own verified rollback).
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { getTargetDriver } from '../targets/drivers/registry.js';
import { listEtcdServices } from '../targets/etcd/endpoints.js';
import type { ServiceEndpoint, Target } from '../targets/types.js';
import netPartition from './net-partition.js';
import { defineFault, type FaultContext, type FaultState } from './types.js';
import { defineFaultParams } from './params.js';

interface Cut {
  member: string;
  peer: string;
  dir: string;
  spec: Record<string, unknown>;
  state?: FaultState;
}

export default defineFault({
  type: 'etcd.partition',
  summary: 'isolates etcd members (by name, or the current leader) from their peers with one net.partition table per pair; client ports stay reachable',
  needs: ['services'],
  params: defineFaultParams('etcd.partition', {
    isolate: Type.Array(Type.String({ minLength: 1, description: 'A member name (m1), "leader" (the member a majority follows) or "follower" (the first member that follows it).' }), { minItems: 1, maxItems: 8, uniqueItems: true, description: 'Members cut off from every other member; two of three loses quorum.' }),
    durationMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 600_000, description: 'Heal the partition by itself after this long (a transient partition); without it the partition holds until rollback.' })),
    mode: Type.Optional(Type.Union([Type.Literal('drop'), Type.Literal('reject')], { default: 'drop', description: 'drop: packets vanish (peers time out); reject: resets.' })),
  }, 'Partition etcd members from their peers.'),
  async plan(params, { target }) {
    const members = listMembers(target);
    const named = params.isolate.filter((name) => name !== 'leader' && name !== 'follower');
    for (const name of named) if (!members.some((member) => member.name === name)) throw new GuardError(`fault.isolate: target ${target.name} has no etcd member ${JSON.stringify(name)}`, { hint: `its members: ${members.map((member) => member.name).join(', ')}` });
    const isolated = params.isolate.length;
    const quorum = Math.floor(members.length / 2) + 1;
    return {
      touches: [
        `cut every packet between ${params.isolate.join(', ')} and the other members (${params.mode ?? 'drop'}), one nftables table per pair in the isolated member’s namespace (net.partition)${params.isolate.some((name) => name === 'leader' || name === 'follower') ? '; leader / follower = as a majority sees it when the fault is prepared' : ''}`,
        params.durationMs === undefined ? 'held until rollback' : `healed by itself after ${params.durationMs} ms (or at rollback)`,
        `${members.length - isolated >= quorum ? `quorum kept: ${members.length - isolated} of ${members.length} members still reach each other` : `quorum lost: no ${quorum} of ${members.length} members can reach each other`}`,
        'client ports stay reachable from the host: probes see each member’s own view',
      ],
      guards: ['only the target’s own members, in namespaces the target owns', 'each table is named in the ledger before it is added and removed on rollback with the ruleset checked (net.partition)'],
    };
  },
  async prepare(params, context) {
    const members = listMembers(context.target);
    if (members.some((member) => member.namespace === undefined)) {
      throw new GuardError('fault.isolate: the members share one loopback address, where a partition between two of them cannot be cut', { hint: 'run the etcd target as root: each member then lives in its own network namespace' });
    }
    const isolated = new Set<string>();
    for (const name of params.isolate) isolated.add(name === 'leader' || name === 'follower' ? await findRole(context.target, name) : name);
    const cuts: Cut[] = [];
    const seen = new Set<string>();
    for (const name of isolated) {
      const member = members.find((candidate) => candidate.name === name);
      if (!member) throw new GuardError(`fault.isolate: no etcd member ${JSON.stringify(name)}`);
      for (const peer of members) {
        const pair = [name, peer.name].sort().join('|');
        if (peer.name === name || seen.has(pair)) continue;
        seen.add(pair);
        // Named after the fault's own directory: net.partition names its table after this one.
        const dir = join(context.stateDir, `${basename(context.stateDir).replace(/\.d$/, '')}-cut${cuts.length + 1}`);
        mkdirSync(dir, { recursive: true, mode: 0o700 });
        cuts.push({ member: name, peer: peer.name, dir, spec: { type: 'net.partition', to: { namespace: member.namespace!, host: member.host }, from: { service: peer.name }, mode: params.mode ?? 'drop' } });
      }
    }
    for (const cut of cuts) cut.state = await netPartition.prepare(cut.spec, subContext(context, cut));
    return { isolated: [...isolated], cuts: cuts as unknown as FaultState[], ...(params.durationMs !== undefined ? { durationMs: params.durationMs } : {}) };
  },
  async inject(_params, context, state) {
    for (const cut of getCuts(state)) await netPartition.inject(cut.spec, subContext(context, cut), cut.state!);
    if (typeof state.durationMs === 'number') {
      const timer = setTimeout(() => {
        healTimers.delete(context.stateDir);
        void removeCuts(context, state).catch(() => undefined);
      }, state.durationMs);
      timer.unref();
      healTimers.set(context.stateDir, timer);
    }
  },
  async verify(_params, context, state) {
    for (const cut of getCuts(state)) if (!(await netPartition.verify(cut.spec, subContext(context, cut), cut.state!))) return false;
    return true;
  },
  async rollback(_params, context, state) {
    clearTimeout(healTimers.get(context.stateDir));
    healTimers.delete(context.stateDir);
    return removeCuts(context, state);
  },
});

// Heal timers of transient partitions in effect in this process; a crashed runner's are gone, and `faultline recover` removes the tables instead.
const healTimers = new Map<string, NodeJS.Timeout>();

// Removes every cut (net.partition's rollback: idempotent, and checks the ruleset).
async function removeCuts(context: FaultContext, state: FaultState): Promise<{ ok: boolean; detail: string }> {
  const details: string[] = [];
  let ok = true;
  // Last in, first out: each table's ruleset snapshot was taken before the later ones were added.
  for (const cut of [...getCuts(state)].reverse()) {
    const result = await netPartition.rollback(cut.spec, subContext(context, cut), cut.state!).catch((error: unknown) => ({ ok: false, detail: String(error) }));
    ok &&= result.ok;
    details.push(`${cut.member}↔${cut.peer}: ${result.detail}`);
  }
  return { ok, detail: `${(state.isolated as string[]).join(', ')} rejoined: ${details.join('; ')}` };
}

function listMembers(target: Target): ServiceEndpoint[] {
  const members = listEtcdServices(target);
  if (members.length === 0) throw new GuardError(`target ${target.name} offers no etcd members`, { hint: 'use the etcd target (target: etcd)' });
  return members;
}

async function findRole(target: Target, role: string): Promise<string> {
  const driver = getTargetDriver(target.driver);
  if (!driver.findRoleProcess || !(driver.roles ?? []).includes(role)) throw new GuardError(`fault.isolate: target ${target.name} cannot say which member is the ${role}`);
  return driver.findRoleProcess(target, role);
}

// Each cut keeps its own state directory (its table is named after it).
function subContext(context: FaultContext, cut: Cut): FaultContext {
  return { ...context, stateDir: cut.dir };
}

function getCuts(state: FaultState): Cut[] {
  return Array.isArray(state.cuts) ? (state.cuts as unknown as Cut[]) : [];
}
