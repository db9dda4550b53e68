// Canary: sequenced keys SET in a Redis service, each acknowledged by its OK (a write that claims
// durability when the server runs with AOF), reconciled with the keys Redis holds afterwards: an
// acknowledged key that is gone (a crash before the AOF fsync, a restart without persistence) is lost.
import { Type } from '@sinclair/typebox';
import { findService } from '../targets/services/find-service.js';
import { classifyRedisError, withRedis } from '../targets/services/redis-client.js';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';
import { readBackWithRetry } from './read-back.js';

/** Most keys read back. */
const MAX_KEYS = 200_000;

export default defineCanary({
  type: 'redis.keys',
  needs: ['services'],
  summary: 'SETs sequenced keys in a redis service and counts those acknowledged (OK) that are missing afterwards',
  params: defineCanaryParams('redis.keys', {
    service: Type.Optional(Type.String({ minLength: 1, description: 'The redis service (target.services[].name); default: the target’s only one.' })),
    prefix: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9:_.-]{1,64}$', default: 'faultline:canary:', description: 'Key prefix; the token follows it.' })),
    ttlSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 30 * 86_400, default: 86_400, description: 'Each key expires after this long, so canaries of old runs do not pile up (longer than any run).' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000, default: 1000, description: 'A SET with no answer within this long counts as not acknowledged.' })),
  }, 'Keys written to Redis are not lost.'),
  create(params, { target }) {
    const service = findService(target, 'redis', params.service, 'canary.service');
    const prefix = params.prefix ?? 'faultline:canary:';
    const ttl = params.ttlSeconds ?? 86_400;
    const timeoutMs = params.timeoutMs ?? 1000;
    return {
      async send(token) {
        try {
          const answer = await withRedis(service, timeoutMs, (client) => client.set(`${prefix}${token}`, '1', 'EX', ttl));
          return answer === 'OK' ? { accepted: true } : { accepted: false, detail: `SET answered ${String(answer)}` };
        } catch (error) {
          return { accepted: false, detail: classifyRedisError(error) };
        }
      },
      async collect() {
        return readBackWithRetry(() =>
          withRedis(service, 10_000, async (client) => {
            const keys: string[] = [];
            let cursor = '0';
            do {
              const [next, batch] = await client.scan(cursor, 'MATCH', `${prefix}fl-*`, 'COUNT', 1000);
              cursor = next;
              keys.push(...batch);
            } while (cursor !== '0' && keys.length < MAX_KEYS);
            return keys.join('\n');
          }),
        );
      },
    };
  },
});
