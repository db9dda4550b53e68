// A Redis connection to a target's service, for the redis probe and the redis.keys canary: one fresh
// connection that never queues commands offline nor reconnects by itself (a check must see the outage).
import { Redis } from 'ioredis';
import type { ServiceEndpoint } from '../types.js';

/** Opens one connection; rejects when Redis does not answer within timeoutMs. */
export async function connectRedis(service: ServiceEndpoint, timeoutMs: number): Promise<Redis> {
  const client = new Redis({
    host: service.host,
    port: service.port,
    ...(service.password !== undefined ? { password: service.password } : {}),
    ...(service.user !== undefined ? { username: service.user } : {}),
    lazyConnect: true,
    // No INFO before the first command: the caller's deadline covers the whole exchange instead.
    enableReadyCheck: false,
    connectTimeout: timeoutMs,
    commandTimeout: timeoutMs,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
  });
  // ioredis rejects connect() with "Connection is closed"; the cause (ECONNREFUSED) came as an event.
  let cause: unknown;
  client.on('error', (error) => (cause ??= error));
  try {
    await client.connect();
  } catch (error) {
    client.disconnect();
    throw cause ?? error;
  }
  return client;
}

/**
 * Runs `work` on a fresh connection, all of it (connect included) within timeoutMs: a hung server
 * (SIGSTOP) still accepts TCP connections in the kernel's backlog, so a connect timeout alone never fires.
 */
export async function withRedis<T>(service: ServiceEndpoint, timeoutMs: number, work: (client: Redis) => Promise<T>): Promise<T> {
  let client: Redis | undefined;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${timeoutMs} ms`), { code: 'timeout' })), timeoutMs);
  });
  try {
    return await Promise.race([
      (async () => {
        client = await connectRedis(service, timeoutMs);
        return work(client);
      })(),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
    client?.disconnect();
  }
}

/** The class of a Redis failure: "ECONNREFUSED", "LOADING", "timeout", the reply's first word. */
export function classifyRedisError(error: unknown): string {
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  if (typeof code === 'string') return code;
  const text = typeof message === 'string' ? message : String(error);
  if (/timed? ?out/i.test(text)) return 'timeout';
  return /^([A-Z]{3,})\b/.exec(text)?.[1] ?? 'error';
}
