// Fault: a dependency that accepts connections and never answers (a hung server, a half-dead load
// balancer) — unlike net.partition, the connect succeeds; through the userspace fault proxy, seeded.
import { Type } from '@sinclair/typebox';
import { injectProxyFault, planProxyFault, prepareProxyFault, proxyEndpointProperties, rollbackProxyFault, verifyProxyFault } from '../net/proxy-fault.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'net.blackhole',
  summary: 'swallows a share of new connections to a dependency: connected, never answered, through the fault proxy',
  params: defineFaultParams('net.blackhole', {
    ...proxyEndpointProperties,
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 1, description: 'Share of new connections swallowed (0–1).' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 1, description: 'Seed of which connections are swallowed.' })),
  }, 'Accept connections to a dependency and never answer them.'),
  async plan(fault, context) {
    return planProxyFault('net.blackhole', fault, context, `swallows ${Math.round((fault.probability ?? 1) * 100)}% of new connections (accepted, never forwarded, never answered)`);
  },
  async prepare(fault, context) {
    return prepareProxyFault('net.blackhole', fault, context, { blackholeProbability: fault.probability ?? 1, seed: fault.seed ?? 1 });
  },
  inject: async (_fault, context, state) => injectProxyFault(context, state),
  verify: async (_fault, context, state) => verifyProxyFault(context, state),
  rollback: async (_fault, context, state) => rollbackProxyFault(context, state),
});
