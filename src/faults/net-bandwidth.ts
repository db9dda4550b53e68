// Fault: a thin link to a dependency — bytesPerSecond each way. By default through the userspace fault
// proxy (shared by all new connections, anywhere); with `mechanism: tbf`, by tbf on both ends of the veth
// of a dependency in its own namespace (every packet, established connections included).
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { chooseMechanism } from '../net/mechanisms.js';
import { getEndpointNeeds, resolveEndpoint } from '../net/endpoints.js';
import { injectProxyFault, planProxyFault, prepareProxyFault, proxyEndpointProperties, rollbackProxyFault, verifyProxyFault } from '../net/proxy-fault.js';
import { addShaping, findVethEnds, prepareShaping, removeShaping, verifyShaping, type ShapedDevice } from '../net/veth-shaping.js';
import { defineFault, type FaultContext } from './types.js';
import { defineFaultParams } from './params.js';

type Params = { to: Parameters<typeof resolveEndpoint>[0]; from?: Parameters<typeof resolveEndpoint>[0]; bytesPerSecond: number; mechanism?: 'proxy' | 'tbf' };

// tbf shapes a namespace's veth: the dependency must live in one, and the cut covers every peer.
async function resolveTbfNamespace(fault: Params, context: FaultContext): Promise<string> {
  const to = await resolveEndpoint(fault.to, context.target, 'fault.to');
  if (to.namespace === undefined) throw new GuardError('fault.mechanism: tbf shapes the veth of a dependency in its own namespace; on loopback use mechanism: proxy (the default)', { final: true });
  if (fault.from !== undefined) throw new GuardError('fault.from: tbf shapes everything through the dependency\'s veth; it cannot single out one peer (use mechanism: proxy)', { final: true });
  return to.namespace;
}

export default defineFault({
  type: 'net.bandwidth',
  summary: 'limits traffic to a dependency to bytesPerSecond each way, through the fault proxy or tbf on its namespace’s veth',
  needsFor: getEndpointNeeds,
  chooseMechanism: () => chooseMechanism('net.bandwidth'),
  params: defineFaultParams('net.bandwidth', {
    ...proxyEndpointProperties,
    bytesPerSecond: Type.Integer({ minimum: 1024, maximum: 10_000_000_000, description: 'Bytes per second each way, shared by all connections.' }),
    mechanism: Type.Optional(Type.Union([Type.Literal('proxy'), Type.Literal('tbf')], { default: 'proxy', description: 'proxy: new connections through the fault proxy (anywhere); tbf: a token bucket on both ends of the dependency\'s veth (it must live in a namespace; every packet, established connections too).' })),
  }, 'Limit the bandwidth to a dependency.'),
  async plan(fault, context) {
    if (fault.mechanism !== 'tbf') return planProxyFault('net.bandwidth', fault, context, `limits traffic to ${fault.bytesPerSecond} bytes/s each way, shared by all connections`);
    const namespace = await resolveTbfNamespace(fault, context);
    const ends = await findVethEnds(namespace);
    return {
      touches: [
        `mechanism: tbf at ${fault.bytesPerSecond} bytes/s on ${ends.inside} in namespace ${namespace} (what the dependency sends) and on its host end ${ends.host} (what reaches it)`,
        'every packet through that veth is shaped, established connections included, whoever the peer is',
      ],
      guards: ['only a veth faultline made for a namespace the target owns, and only while its root qdisc is the default', 'rollback deletes the tbf and checks each root qdisc is what it was'],
    };
  },
  async prepare(fault, context) {
    if (fault.mechanism !== 'tbf') return prepareProxyFault('net.bandwidth', fault, context, { bytesPerSecond: fault.bytesPerSecond });
    return { mechanism: 'tbf', devices: await prepareShaping(await resolveTbfNamespace(fault, context)) };
  },
  async inject(fault, context, state) {
    if (state.mechanism === 'tbf') await addShaping(state.devices as ShapedDevice[], fault.bytesPerSecond);
    else await injectProxyFault(context, state);
  },
  async verify(_fault, context, state) {
    return state.mechanism === 'tbf' ? verifyShaping(state.devices as ShapedDevice[]) : verifyProxyFault(context, state);
  },
  async rollback(_fault, context, state) {
    return state.mechanism === 'tbf' ? removeShaping(state.devices as ShapedDevice[]) : rollbackProxyFault(context, state);
  },
});
