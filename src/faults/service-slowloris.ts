// Fault: slowloris against one of the target's services — N connections that each send an HTTP
// request's headers one line at a time and never finish it (seed 003: "attacker holds connections open").
import { Type } from '@sinclair/typebox';
import { sleep } from '../util/clock.js';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { createLoadState, describeEndpoint, resolveLoadEndpoint, rollbackLoad, serviceLoadProperties, startLoad, verifyLoad } from './service-load.js';

/** Most connections one slowloris holds. */
export const MAX_SLOW_CONNECTIONS = 2048;

export default defineFault({
  type: 'service.slowloris',
  summary: 'holds N connections to a service open by sending an HTTP request’s headers a line at a time, never completing it',
  needs: ['services'],
  params: defineFaultParams('service.slowloris', {
    ...serviceLoadProperties,
    connections: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SLOW_CONNECTIONS, default: 256, description: `Connections (at most ${MAX_SLOW_CONNECTIONS}).` })),
    lineIntervalMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 60_000, default: 1000, description: 'Pause between two header lines on each connection.' })),
  }, 'Slowloris: hold connections with requests that never finish.'),
  async plan(params, { target }) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    return {
      touches: [`open ${params.connections ?? 256} connections to ${describeEndpoint(endpoint)}, each sending one header line every ${params.lineIntervalMs ?? 1000} ms, for ${params.durationMs ?? 10_000} ms`],
      guards: ['only the target’s own service, on loopback or in a namespace the target owns', `at most ${MAX_SLOW_CONNECTIONS} connections; all closed at the deadline, at rollback, or with faultline`],
    };
  },
  async prepare(params, { target }) {
    return createLoadState(resolveLoadEndpoint(target, params.service), params.durationMs ?? 10_000, { connections: params.connections ?? 256, lineIntervalMs: params.lineIntervalMs ?? 1000 });
  },
  async inject(params, { target, stateDir }, state) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    startLoad(stateDir, Number(state.durationMs), async (run) => {
      const drip = async () => {
        const socket = await run.open(endpoint);
        if (!socket) return;
        socket.write(`POST /v3/kv/range HTTP/1.1\r\nHost: ${endpoint.host}\r\nContent-Type: application/json\r\n`);
        run.counts.messages += 1;
        for (let line = 0; !run.stopped && !socket.destroyed; line++) {
          await sleep(Number(state.lineIntervalMs));
          if (!socket.destroyed) socket.write(`X-Faultline-${line}: ${'a'.repeat(16)}\r\n`);
        }
      };
      const connections = Number(state.connections);
      for (let opened = 0; opened < connections && !run.stopped; opened += 64) {
        for (let i = 0; i < Math.min(64, connections - opened); i++) void drip();
        await sleep(10);
      }
    });
  },
  verify: async (_params, { stateDir }) => verifyLoad(stateDir),
  rollback: async (_params, { stateDir }, state) => rollbackLoad(stateDir, state),
});
