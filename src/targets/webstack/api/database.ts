// The API's PostgreSQL access. With guardrails: a pool whose connections are pre-pinged before use
// (a connection PostgreSQL dropped is replaced, not handed out), a 2 s connect timeout, a statement
// timeout and a circuit breaker. Without: a plain pool (no connect timeout: an exhausted or hung
// server makes requests wait), no breaker.
import pg from 'pg';
import { CircuitBreaker } from './breaker.js';
import type { ApiConfig } from './config.js';

const POOL_SIZE = 10;
const PRE_PING_TIMEOUT_MS = 1000;

/** A query's rows. */
export type Rows = Array<Record<string, unknown>>;

/** The API's database. */
export class Database {
  readonly pool: pg.Pool;
  readonly breaker: CircuitBreaker | undefined;

  constructor(private readonly config: ApiConfig) {
    this.pool = new pg.Pool({
      ...config.pg,
      max: POOL_SIZE,
      idleTimeoutMillis: 10_000,
      connectionTimeoutMillis: config.guardrails ? 2000 : 0,
      ...(config.guardrails ? { statement_timeout: 5000, query_timeout: 6000 } : {}),
    });
    // An idle connection PostgreSQL drops emits here; unhandled it would crash the API.
    this.pool.on('error', (error) => process.stderr.write(`${new Date().toISOString()} pool: idle connection lost: ${error.message}\n`));
    this.breaker = config.guardrails ? new CircuitBreaker(5, config.breakerOpenMs) : undefined;
  }

  /** Runs one statement. */
  async query(text: string, values: unknown[] = []): Promise<Rows> {
    return this.withClient(async (client) => (await client.query(text, values)).rows as Rows);
  }

  /** Runs `work` in one transaction (BEGIN … COMMIT; ROLLBACK on error). */
  async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return this.withClient(async (client) => {
      await client.query('BEGIN');
      try {
        const result = await work(client);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      }
    });
  }

  /** Round trip of SELECT 1 (for /health), bypassing the breaker so health shows the truth. */
  async ping(timeoutMs: number): Promise<number> {
    const started = performance.now();
    const client = await withTimeout(this.pool.connect(), timeoutMs, 'connect');
    try {
      await withTimeout(client.query('SELECT 1'), timeoutMs, 'SELECT 1');
      client.release();
    } catch (error) {
      client.release(true);
      throw error;
    }
    return performance.now() - started;
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }

  private async withClient<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    this.breaker?.check();
    try {
      const client = await this.checkout();
      let broken = false;
      try {
        return await work(client);
      } catch (error) {
        broken = isConnectionError(error);
        throw error;
      } finally {
        client.release(broken);
      }
    } catch (error) {
      if (isConnectionError(error) || isTimeout(error)) this.breaker?.failure();
      throw error;
    }
  }

  // Pre-ping: a pooled connection that fails SELECT 1 within 1 s (gone, or a hung server) is destroyed and a
  // fresh one taken (once).
  private async checkout(): Promise<pg.PoolClient> {
    const client = await this.pool.connect();
    if (!this.config.guardrails) return client;
    try {
      await withTimeout(client.query('SELECT 1'), PRE_PING_TIMEOUT_MS, 'pre-ping');
      this.breaker?.success();
      return client;
    } catch {
      client.release(true);
      const fresh = await this.pool.connect();
      await withTimeout(fresh.query('SELECT 1'), PRE_PING_TIMEOUT_MS, 'pre-ping').catch((error: unknown) => {
        fresh.release(true);
        throw error;
      });
      this.breaker?.success();
      return fresh;
    }
  }
}

/** True for errors that say the server is unreachable or refused the connection (not a bad query). */
export function isConnectionError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code ?? '';
  const message = (error as Error | undefined)?.message ?? '';
  return /^(ECONNREFUSED|ECONNRESET|EPIPE|ETIMEDOUT|ENOTFOUND|57P0[1-3]|53300|08\d{3})$/.test(code) || /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error/i.test(message);
}

function isTimeout(error: unknown): boolean {
  return /timeout/i.test((error as Error | undefined)?.message ?? '') || (error as { code?: string } | undefined)?.code === '57014';
}

/** Rejects after `ms` (the operation itself goes on). */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: timeout after ${ms} ms`)), ms);
    }),
  ]);
}
