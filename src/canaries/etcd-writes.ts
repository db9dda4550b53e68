// Canary: sequenced writes to etcd (one key per item), each counted as sent only once etcd acknowledged
// it (a quorum committed it); reconciled by a linearizable read of the canary's prefix after recovery.
// An acknowledged write missing afterwards is lost: the RPO of a consensus store should be zero.
import { Type } from '@sinclair/typebox';
import { sleep } from '../util/clock.js';
import { listPrefix, putKey } from '../targets/etcd/client.js';
import { listEtcdEndpoints, type EtcdEndpoint } from '../targets/etcd/endpoints.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';

/** The key prefix every canary item is written under. */
export const CANARY_PREFIX = '/faultline/canary/';

export default defineCanary({
  type: 'etcd.writes',
  summary: 'puts sequenced keys into etcd (acknowledged = sent) and counts those a linearizable read cannot find afterwards',
  needs: ['services'],
  params: defineCanaryParams('etcd.writes', {
    member: Type.Optional(Type.String({ minLength: 1, description: 'Write through this member only (default: whichever member acknowledges first).' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 30_000, default: 1000, description: 'How long one put may take to be acknowledged; a put not acknowledged in time is rejected, not lost.' })),
    readTimeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 120_000, default: 15_000, description: 'How long reading back may wait for a member that can serve a linearizable read (quorum back).' })),
  }, 'Acknowledged etcd writes are not lost.'),
  create(params, { target }) {
    const writers = listEtcdEndpoints(target, params.member);
    const readers = listEtcdEndpoints(target);
    const timeoutMs = params.timeoutMs ?? 1000;
    return {
      async send(token) {
        try {
          const via = await Promise.any(writers.map(async (member: EtcdEndpoint) => {
            await putKey(member.url, `${CANARY_PREFIX}${token}`, token, timeoutMs);
            return member.name;
          }));
          return { accepted: true, detail: `acknowledged by ${via}` };
        } catch (error) {
          const reasons = error instanceof AggregateError ? error.errors.map((reason) => (reason as Error).message) : [String(error)];
          return { accepted: false, detail: `not acknowledged: ${[...new Set(reasons)].join('; ')}` };
        }
      },
      async collect() {
        // Only a quorum can serve a linearizable read: wait for one rather than report everything lost.
        const deadline = performance.now() + (params.readTimeoutMs ?? 15_000);
        let last: unknown;
        while (performance.now() < deadline) {
          try {
            const kvs = await Promise.any(readers.map((member) => listPrefix(member.url, CANARY_PREFIX, 2000)));
            return kvs.map((kv) => kv.value).join('\n');
          } catch (error) {
            last = error;
            await sleep(100);
          }
        }
        throw new Error(`no etcd member served a linearizable read of ${CANARY_PREFIX} within ${params.readTimeoutMs ?? 15_000} ms (${String(last)})`);
      },
    };
  },
});
