// Fault: a thin link to a dependency — bytesPerSecond each way, shared by all connections, through the
// userspace fault proxy.
import { Type } from '@sinclair/typebox';
import { injectProxyFault, planProxyFault, prepareProxyFault, proxyEndpointProperties, rollbackProxyFault, verifyProxyFault } from '../net/proxy-fault.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';

export default defineFault({
  type: 'net.bandwidth',
  summary: 'limits new connections to a dependency to bytesPerSecond each way (shared), through the fault proxy',
  params: defineFaultParams('net.bandwidth', {
    ...proxyEndpointProperties,
    bytesPerSecond: Type.Integer({ minimum: 1024, maximum: 10_000_000_000, description: 'Bytes per second each way, shared by all connections.' }),
  }, 'Limit the bandwidth to a dependency.'),
  async plan(fault, context) {
    return planProxyFault('net.bandwidth', fault, context, `limits traffic to ${fault.bytesPerSecond} bytes/s each way, shared by all connections`);
  },
  async prepare(fault, context) {
    return prepareProxyFault('net.bandwidth', fault, context, { bytesPerSecond: fault.bytesPerSecond });
  },
  inject: async (_fault, context, state) => injectProxyFault(context, state),
  verify: async (_fault, context, state) => verifyProxyFault(context, state),
  rollback: async (_fault, context, state) => rollbackProxyFault(context, state),
});
