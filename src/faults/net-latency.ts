// Fault: a slow dependency — every chunk to and from it is delayed by latencyMs ± jitterMs (seeded),
// through the userspace fault proxy (this kernel has no tc netem).
import { Type } from '@sinclair/typebox';
import { injectProxyFault, planProxyFault, prepareProxyFault, proxyEndpointProperties, rollbackProxyFault, verifyProxyFault } from '../net/proxy-fault.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'net.latency',
  summary: 'delays new connections’ traffic to and from a dependency by latencyMs ± jitterMs, through the fault proxy',
  params: defineFaultParams('net.latency', {
    ...proxyEndpointProperties,
    latencyMs: Type.Integer({ minimum: 1, maximum: 60_000, description: 'Added delay each way, per chunk.' }),
    jitterMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, default: 0, description: 'Uniform jitter ± this much around latencyMs (order is kept).' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 1, description: 'Seed of the jitter.' })),
  }, 'Add latency (and jitter) to a dependency.'),
  async plan(fault, context) {
    return planProxyFault('net.latency', fault, context, `adds ${fault.latencyMs} ms${fault.jitterMs ? ` ± ${fault.jitterMs} ms` : ''} each way`);
  },
  async prepare(fault, context) {
    return prepareProxyFault('net.latency', fault, context, { latencyMs: fault.latencyMs, jitterMs: fault.jitterMs ?? 0, seed: fault.seed ?? 1 });
  },
  inject: async (_fault, context, state) => injectProxyFault(context, state),
  verify: async (_fault, context, state) => verifyProxyFault(context, state),
  rollback: async (_fault, context, state) => rollbackProxyFault(context, state),
});
