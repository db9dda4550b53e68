// Probe: a write to etcd is acknowledged, and reads back, within a budget — through any member (as a
// client with every endpoint configured would), or through one named member.
import { randomBytes } from 'node:crypto';
import { Type } from '@sinclair/typebox';
import { getKey, putKey } from '../targets/etcd/client.js';
import { listEtcdEndpoints, type EtcdEndpoint } from '../targets/etcd/endpoints.js';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';

export default defineProbe({
  type: 'etcd.write',
  summary: 'passes while a put and a linearizable get of a probe key succeed within budgetMs (through any member, or one)',
  needs: ['services'],
  params: defineProbeParams('etcd.write', {
    member: Type.Optional(Type.String({ minLength: 1, description: 'Write through this member only (default: any member that answers in time).' })),
    budgetMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 30_000, default: 500, description: 'The put and the get together must succeed within this.' })),
    key: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Key written (default /faultline/probe/<random>).' })),
  }, 'A write to etcd succeeds within a budget.'),
  defaultIntervalMs: 100,
  create(params, { target }) {
    const members = listEtcdEndpoints(target, params.member);
    const key = params.key ?? `/faultline/probe/${randomBytes(4).toString('hex')}`;
    const budgetMs = params.budgetMs ?? 500;
    let sequence = 0;
    return {
      async check() {
        const value = String(++sequence);
        const started = performance.now();
        const attempt = async (member: EtcdEndpoint) => {
          await putKey(member.url, key, value, budgetMs);
          const read = await getKey(member.url, key, Math.max(1, budgetMs - (performance.now() - started)));
          if (read !== value) throw new Error(`${member.name} read back ${JSON.stringify(read)}, not ${value}`);
          return member.name;
        };
        try {
          const via = await Promise.any(members.map(attempt));
          const ms = performance.now() - started;
          return ms <= budgetMs ? { ok: true, detail: `written through ${via} in ${Math.round(ms)} ms` } : { ok: false, detail: `written through ${via} in ${Math.round(ms)} ms, over the ${budgetMs} ms budget` };
        } catch (error) {
          const reasons = error instanceof AggregateError ? error.errors.map((reason, index) => `${members[index]!.name}: ${(reason as Error).message}`) : [String(error)];
          return { ok: false, detail: `no write within ${budgetMs} ms (${reasons.join('; ')})` };
        }
      },
    };
  },
});
