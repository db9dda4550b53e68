// Fault: a slow peer — every connection other members make to one member's peer port (a member by
// name, the leader or a follower, chosen when the fault is prepared) goes through the fault proxy with
// latencyMs added each way (net.latency). Raft streams are long-lived, and the proxy only takes new
// connections: so the member's peer connections are first reset (a 300 ms net.partition in reject
// mode), and the peers reconnect through the proxy. Messages the member sends on those streams (a
// leader's appends and heartbeats) arrive late. Rollback removes the proxy and its redirect.
import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { getTargetDriver } from '../targets/drivers/registry.js';
import { listEtcdServices } from '../targets/etcd/endpoints.js';
import type { Target } from '../targets/types.js';
import { sleep } from '../util/clock.js';
import netLatency from './net-latency.js';
import netPartition from './net-partition.js';
import { defineFault, type FaultContext, type FaultState } from './types.js';
import { defineFaultParams } from './params.js';

const RESET_MS = 300;

export default defineFault({
  type: 'etcd.slow-peer',
  summary: 'delays every connection to one etcd member’s peer port (by name, the leader or a follower) through the fault proxy, after resetting the established ones',
  needs: ['services'],
  params: defineFaultParams('etcd.slow-peer', {
    member: Type.String({ minLength: 1, description: 'A member name (m2), "leader" or "follower", as a majority sees it when the fault is prepared.' }),
    latencyMs: Type.Integer({ minimum: 1, maximum: 60_000, description: 'Added delay each way, per chunk.' }),
    jitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, default: 0, description: 'Uniform jitter ± this much (order is kept).' })),
  }, 'A slow etcd peer.'),
  async plan(params, { target }) {
    const members = listEtcdServices(target).map((service) => service.name);
    if (!['leader', 'follower', ...members].includes(params.member)) throw new GuardError(`fault.member: target ${target.name} has no etcd member ${JSON.stringify(params.member)}`, { hint: `its members: ${members.join(', ')}, or leader / follower` });
    return {
      touches: [
        `reset the established connections to ${params.member}’s peer port (net.partition, reject, ${RESET_MS} ms), then send every new one through the fault proxy with ${params.latencyMs} ms${params.jitterMs ? ` ± ${params.jitterMs} ms` : ''} each way (net.latency)`,
      ],
      guards: ['only the target’s own member, in a namespace the target owns', 'the proxy and its redirect table are named in the ledger before they exist and removed on rollback with the ruleset checked (net.latency)'],
    };
  },
  async prepare(params, context) {
    const member = params.member === 'leader' || params.member === 'follower' ? await findRole(context.target, params.member) : params.member;
    const to = { service: `${member}-peer` };
    const latency = { type: 'net.latency', to, latencyMs: params.latencyMs, jitterMs: params.jitterMs ?? 0 };
    const reset = { type: 'net.partition', to, mode: 'reject' };
    const parts = { latency: { spec: latency, dir: makeDir(context, 'latency') }, reset: { spec: reset, dir: makeDir(context, 'reset') } };
    const latencyState = await netLatency.prepare(latency, sub(context, parts.latency.dir));
    const resetState = await netPartition.prepare(reset, sub(context, parts.reset.dir));
    return { member, latency: { ...parts.latency, state: latencyState }, reset: { ...parts.reset, state: resetState } };
  },
  async inject(_params, context, state) {
    const { latency, reset } = getParts(state);
    await netLatency.inject(latency.spec, sub(context, latency.dir), latency.state);
    // Established streams bypass the proxy: reset them, and the peers dial again through it.
    await netPartition.inject(reset.spec, sub(context, reset.dir), reset.state);
    await sleep(RESET_MS);
    const removed = await netPartition.rollback(reset.spec, sub(context, reset.dir), reset.state);
    if (!removed.ok) throw new Error(`the connection reset could not be removed: ${removed.detail}`);
  },
  async verify(_params, context, state) {
    const { latency } = getParts(state);
    return netLatency.verify(latency.spec, sub(context, latency.dir), latency.state);
  },
  async rollback(_params, context, state) {
    const { latency, reset } = getParts(state);
    const resetResult = await netPartition.rollback(reset.spec, sub(context, reset.dir), reset.state).catch((error: unknown) => ({ ok: false, detail: String(error) }));
    const latencyResult = await netLatency.rollback(latency.spec, sub(context, latency.dir), latency.state).catch((error: unknown) => ({ ok: false, detail: String(error) }));
    return { ok: resetResult.ok && latencyResult.ok, detail: `${String(state.member)}: ${latencyResult.detail}; reset: ${resetResult.detail}` };
  },
});

interface Part {
  spec: Record<string, unknown>;
  dir: string;
  state: FaultState;
}

function getParts(state: FaultState): { latency: Part; reset: Part } {
  return { latency: state.latency as unknown as Part, reset: state.reset as unknown as Part };
}

// Each part keeps its own state directory, named after the fault's (its tables and proxy are named after it).
function makeDir(context: FaultContext, part: string): string {
  const dir = join(context.stateDir, `${basename(context.stateDir).replace(/\.d$/, '')}-${part}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

function sub(context: FaultContext, dir: string): FaultContext {
  return { ...context, stateDir: dir };
}

async function findRole(target: Target, role: string): Promise<string> {
  const driver = getTargetDriver(target.driver);
  if (!driver.findRoleProcess || !(driver.roles ?? []).includes(role)) throw new GuardError(`fault.member: target ${target.name} cannot say which member is the ${role}`);
  return driver.findRoleProcess(target, role);
}
