// Fault: flood one of the target's HTTP services with requests — `concurrency` keep-alive clients
// back to back, bounded in total and in time (seed 003's request flooding: "server overwhelmed").
import { Agent, request } from 'node:http';
import { Type } from '@sinclair/typebox';
import { defineFault } from './types.js';
import { defineFaultParams } from './params.js';
import { createLoadState, describeEndpoint, resolveLoadEndpoint, rollbackLoad, serviceLoadProperties, startLoad, verifyLoad } from './service-load.js';

/** Caps of one flood. */
export const MAX_CONCURRENCY = 512;
export const MAX_REQUESTS = 1_000_000;

export default defineFault({
  type: 'service.request-flood',
  summary: 'sends HTTP requests to a service as fast as `concurrency` keep-alive clients can, up to maxRequests, for durationMs',
  needs: ['services'],
  params: defineFaultParams('service.request-flood', {
    ...serviceLoadProperties,
    concurrency: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_CONCURRENCY, default: 32, description: `Requests in flight at once (at most ${MAX_CONCURRENCY}).` })),
    maxRequests: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_REQUESTS, default: 200_000, description: `Most requests sent in all (at most ${MAX_REQUESTS}).` })),
    path: Type.Optional(Type.String({ pattern: '^/[\\x21-\\x7e]*$', maxLength: 200, default: '/v3/kv/range', description: 'Request path (POST).' })),
    body: Type.Optional(Type.String({ maxLength: 65_536, default: '{"key":"Zg=="}', description: 'Request body (JSON); the default is an etcd range of key "f".' })),
  }, 'Flood a service with requests.'),
  async plan(params, { target }) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    return {
      touches: [`POST ${params.path ?? '/v3/kv/range'} to ${describeEndpoint(endpoint)} from ${params.concurrency ?? 32} clients, at most ${params.maxRequests ?? 200_000} requests in ${params.durationMs ?? 10_000} ms`],
      guards: ['only the target’s own service, on loopback or in a namespace the target owns', `at most ${MAX_CONCURRENCY} clients and ${MAX_REQUESTS} requests; stopped at the deadline, at rollback, or with faultline`],
    };
  },
  async prepare(params, { target }) {
    return createLoadState(resolveLoadEndpoint(target, params.service), params.durationMs ?? 10_000, {
      concurrency: params.concurrency ?? 32, maxRequests: params.maxRequests ?? 200_000, path: params.path ?? '/v3/kv/range', body: params.body ?? '{"key":"Zg=="}',
    });
  },
  async inject(params, { target, stateDir }, state) {
    const endpoint = resolveLoadEndpoint(target, params.service);
    const body = Buffer.from(String(state.body));
    startLoad(stateDir, Number(state.durationMs), async (run) => {
      const agent = new Agent({ keepAlive: true, maxSockets: Number(state.concurrency) });
      run.onStop(() => agent.destroy());
      let sent = 0;
      const client = async () => {
        while (!run.stopped && sent < Number(state.maxRequests)) {
          sent += 1;
          await new Promise<void>((resolve) => {
            const req = request({ host: endpoint.host, port: endpoint.port, path: String(state.path), method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': body.length }, timeout: 5000 }, (res) => {
              res.resume();
              res.on('end', resolve);
              res.on('error', () => resolve());
            });
            req.on('socket', () => {
              if (run.counts.connected === 0) run.counts.connected = 1;
            });
            req.on('timeout', () => req.destroy());
            req.on('error', () => {
              run.counts.errors += 1;
              resolve();
            });
            req.end(body);
            run.counts.messages += 1;
          });
        }
      };
      await Promise.all(Array.from({ length: Number(state.concurrency) }, client));
    });
  },
  verify: async (_params, { stateDir }) => verifyLoad(stateDir),
  rollback: async (_params, { stateDir }, state) => rollbackLoad(stateDir, state),
});
