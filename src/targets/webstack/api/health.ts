// GET /health: each dependency checked, and which failed. 200 when all pass, 503 naming the failed ones.
// With guardrails the scheduler's heartbeat is checked too (an alert on missed executions); without,
// nothing watches it (the "current" system: no error notification).
import type { Cache } from './cache.js';
import type { Database } from './database.js';

/** One dependency's check. */
export interface HealthCheck {
  ok: boolean;
  ms?: number;
  error?: string;
  detail?: string;
}

/** The /health answer. */
export interface HealthReport {
  status: 'ok' | 'fail';
  guardrails: boolean;
  failed: string[];
  checks: Record<string, HealthCheck>;
}

/** Checks PostgreSQL, Redis and (guardrails) the scheduler's heartbeat. */
export async function checkHealth(db: Database, cache: Cache, options: { guardrails: boolean; schedulerIntervalMs: number }): Promise<HealthReport> {
  const checks: Record<string, HealthCheck> = {};
  const [postgres, redis] = await Promise.all([measure(() => db.ping(1000)), measure(() => cache.ping(500))]);
  checks.postgres = postgres;
  checks.redis = redis;
  if (options.guardrails) {
    checks.scheduler = postgres.ok ? await checkHeartbeat(db, options.schedulerIntervalMs) : { ok: false, error: 'postgres unavailable: heartbeat not readable' };
  }
  if (db.breaker) checks.postgres.detail = `circuit breaker ${db.breaker.state}`;
  const failed = Object.entries(checks).filter(([, check]) => !check.ok).map(([name]) => name);
  return { status: failed.length === 0 ? 'ok' : 'fail', guardrails: options.guardrails, failed, checks };
}

async function measure(check: () => Promise<number>): Promise<HealthCheck> {
  try {
    return { ok: true, ms: Math.round((await check()) * 1000) / 1000 };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

// Missed when the newest heartbeat is older than three intervals plus two seconds.
async function checkHeartbeat(db: Database, intervalMs: number): Promise<HealthCheck> {
  try {
    const rows = await db.query("SELECT extract(epoch FROM now() - max(t)) * 1000 AS age_ms FROM heartbeats WHERE job = 'heartbeat'");
    const age = rows[0]?.age_ms === null || rows[0]?.age_ms === undefined ? undefined : Number(rows[0].age_ms);
    const limit = intervalMs * 3 + 2000;
    if (age === undefined) return { ok: false, error: 'no heartbeat yet' };
    return age <= limit ? { ok: true, detail: `last heartbeat ${Math.round(age)} ms ago` } : { ok: false, error: `last heartbeat ${Math.round(age)} ms ago (limit ${limit} ms): the scheduler is not running` };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}
