// Fault: hold N idle TCP connections to one of the target's services for a duration (seed 003's
// connection exhaustion: "too many connections … cannot accept new peers").
import { Type } from '@sinclair/typebox';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { createLoadState, describeEndpoint, resolveLoadEndpoint, rollbackLoad, serviceLoadProperties, startLoad, verifyLoad } from './service-load.js';

/** Most connections one fault holds. */
export const MAX_CONNECTIONS = 4096;

export default defineFault({
  type: 'service.connection-exhaust',
  summary: 'opens and holds N idle TCP connections to a service of the target for durationMs',
  needs: ['services'],
  params: defineFaultParams('service.connection-exhaust', {
    ...serviceLoadProperties,
    connections: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CONNECTIONS, default: 512, description: `Connections to hold (at most ${MAX_CONNECTIONS}).` })),
  }, 'Exhaust a service’s connections.'),
  async plan(params, { target }) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    return {
      touches: [`hold ${params.connections ?? 512} idle TCP connections to ${describeEndpoint(endpoint)} for ${params.durationMs ?? 10_000} ms`],
      guards: ['only the target’s own service, on loopback or in a namespace the target owns', `at most ${MAX_CONNECTIONS} connections; all closed at the deadline, at rollback, or with faultline`],
    };
  },
  async prepare(params, { target }) {
    return createLoadState(resolveLoadEndpoint(target, params.service), params.durationMs ?? 10_000, { connections: params.connections ?? 512 });
  },
  async inject(params, { target, stateDir }, state) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    startLoad(stateDir, Number(state.durationMs), async (run) => {
      // Opened in small batches: a burst of thousands of SYNs at once would only measure the backlog.
      for (let opened = 0; opened < Number(state.connections) && !run.stopped; opened += 64) {
        await Promise.all(Array.from({ length: Math.min(64, Number(state.connections) - opened) }, () => run.open(endpoint)));
      }
    });
  },
  verify: async (_params, { stateDir }) => verifyLoad(stateDir),
  rollback: async (_params, { stateDir }, state) => rollbackLoad(stateDir, state),
});
