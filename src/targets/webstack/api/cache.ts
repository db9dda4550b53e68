// The API's cache. Redis first; with guardrails a Redis that fails (down, stopped, slow) falls back to an
// in-memory cache and the answer says it is degraded; without, the error reaches the request (a 500).
import { Redis } from 'ioredis';
import type { ApiConfig } from './config.js';
import { withTimeout } from './database.js';

/** Where a cached value came from. */
export type CacheSource = 'redis' | 'memory';

/** The cache. */
export class Cache {
  readonly redis: Redis;
  readonly #memory = new Map<string, { value: string; expires: number }>();

  constructor(private readonly config: ApiConfig) {
    this.redis = new Redis({
      host: '127.0.0.1',
      port: config.redis.port,
      password: config.redis.password,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 1000,
      commandTimeout: 1000,
      retryStrategy: (attempt: number) => Math.min(attempt * 100, 1000),
    });
    this.redis.on('error', () => undefined); // Reconnects on its own; requests see the errors.
  }

  /** The value of `key`, and where it came from (memory only with guardrails, when Redis fails). */
  async get(key: string): Promise<{ value: string | null; source: CacheSource; error?: string }> {
    try {
      return { value: await this.redis.get(key), source: 'redis' };
    } catch (error) {
      if (!this.config.guardrails) throw error;
      const hit = this.#memory.get(key);
      return { value: hit && hit.expires > Date.now() ? hit.value : null, source: 'memory', error: (error as Error).message };
    }
  }

  /** Stores `value` for `ttlMs`: in Redis, else (guardrails) in memory. */
  async set(key: string, value: string, ttlMs: number): Promise<CacheSource> {
    try {
      await this.redis.set(key, value, 'PX', ttlMs);
      return 'redis';
    } catch (error) {
      if (!this.config.guardrails) throw error;
      this.#memory.set(key, { value, expires: Date.now() + ttlMs });
      return 'memory';
    }
  }

  /** PING round trip, ms. */
  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    await withTimeout(this.redis.ping(), timeoutMs, 'PING');
    return performance.now() - started;
  }

  close(): void {
    this.redis.disconnect();
  }
}
