// Probe: a Redis service answers PING (or GET of a key, with its value checked) on a new connection
// within a latency budget (polled: a client cannot subscribe to its own server's outage).
import { Type } from '@sinclair/typebox';
import { findService } from '../targets/services/find-service.js';
import { classifyRedisError, withRedis } from '../targets/services/redis-client.js';
import { monotonicMs } from '../util/clock.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'redis',
  needs: ['services'],
  summary: 'passes while a redis service answers PING (or GET key, value checked) on a new connection within latencyMs',
  params: defineProbeParams('redis', {
    service: Type.Optional(Type.String({ minLength: 1, description: 'The redis service (target.services[].name); default: the target’s only one.' })),
    get: Type.Optional(Type.String({ minLength: 1, maxLength: 512, description: 'GET this key instead of PING; a missing key fails.' })),
    matches: Type.Optional(Type.String({ description: 'With get: a regular expression the value must match.' })),
    latencyMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, description: 'Latency budget for connect plus command: a slower answer fails.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 1, maximum: 60_000, default: 1000, description: 'Give up after this long.' })),
  }, 'A Redis service answers.'),
  defaultIntervalMs: 100,
  checkParams(params) {
    if (params.matches !== undefined && params.get === undefined) return { field: 'matches', message: 'matches checks the value of get: give get too' };
    return undefined;
  },
  create(params, { target }) {
    const service = findService(target, 'redis', params.service, 'probe.service');
    const timeoutMs = params.timeoutMs ?? 1000;
    const pattern = params.matches === undefined ? undefined : new RegExp(params.matches, 'm');
    const what = params.get === undefined ? 'PING' : `GET ${params.get}`;
    return {
      async check() {
        const started = monotonicMs();
        let answer: string | null;
        try {
          answer = await withRedis(service, timeoutMs, (client) => (params.get === undefined ? client.ping() : client.get(params.get)));
        } catch (error) {
          return { ok: false, detail: `${service.name} ${what}: ${classifyRedisError(error)}: ${(error as Error).message ?? String(error)}` };
        }
        const latency = monotonicMs() - started;
        if (answer === null) return { ok: false, detail: `${service.name} ${what}: no such key` };
        if (params.get === undefined && answer !== 'PONG') return { ok: false, detail: `${service.name} PING: answered ${JSON.stringify(answer.slice(0, 80))}` };
        if (pattern && !pattern.test(answer)) return { ok: false, detail: `${service.name} ${what}: value does not match /${params.matches}/` };
        if (params.latencyMs !== undefined && latency > params.latencyMs) return { ok: false, detail: `${service.name} ${what}: ${latency.toFixed(1)} ms (> ${params.latencyMs} ms)` };
        return { ok: true };
      },
    };
  },
});
