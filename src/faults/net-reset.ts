// Fault: connections to a dependency are reset (TCP RST to the client) — a share of new connections,
// at once or after afterBytes from the client — through the userspace fault proxy, seeded.
import { Type } from '@sinclair/typebox';
import { injectProxyFault, planProxyFault, prepareProxyFault, proxyEndpointProperties, rollbackProxyFault, verifyProxyFault } from '../net/proxy-fault.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'net.reset',
  summary: 'resets a share of new connections to a dependency (at once or after N bytes), through the fault proxy',
  params: defineFaultParams('net.reset', {
    ...proxyEndpointProperties,
    probability: Type.Optional(Type.Number({ minimum: 0, maximum: 1, default: 1, description: 'Share of new connections reset (0–1).' })),
    afterBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0, description: 'Reset once the client has sent this many bytes (0: at once).' })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, default: 1, description: 'Seed of which connections are reset.' })),
  }, 'Reset connections to a dependency.'),
  async plan(fault, context) {
    return planProxyFault('net.reset', fault, context, `resets ${Math.round((fault.probability ?? 1) * 100)}% of new connections ${fault.afterBytes ? `after ${fault.afterBytes} bytes from the client` : 'at once'}`);
  },
  async prepare(fault, context) {
    return prepareProxyFault('net.reset', fault, context, { resetProbability: fault.probability ?? 1, resetAfterBytes: fault.afterBytes ?? 0, seed: fault.seed ?? 1 });
  },
  inject: async (_fault, context, state) => injectProxyFault(context, state),
  verify: async (_fault, context, state) => verifyProxyFault(context, state),
  rollback: async (_fault, context, state) => rollbackProxyFault(context, state),
});
