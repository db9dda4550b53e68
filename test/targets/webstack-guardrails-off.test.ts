// The web stack without guardrails (the failure matrix's "current" system), against the same failures
// the guardrails-on file survives: Redis stopped → 500s; events acknowledged before commit are lost when
// the API dies; uploads are gone after a restart; a missing JWT secret falls back to a default; a crashed
// API stays down. One stack for the file; the checks that kill the API come last.
import { readFileSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readPidFile } from '../../src/util/pid.js';
import { listProcessTree, signalTree, startTestWebstack, waitFor, type TestWebstack } from '../helpers/webstack.js';

let stack: TestWebstack;

beforeAll(async () => {
  // A long flush interval: events acknowledged now are still in memory when the API is killed.
  stack = await startTestWebstack({ guardrails: false, eventFlushMs: 10_000 });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

function pidOf(name: string): number | undefined {
  return readPidFile(`${stack.dir}/run/${name}.pid`);
}

async function countEvents(ids: string[]): Promise<number> {
  const postgres = stack.service('postgres');
  const client = new pg.Client({ host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password });
  await client.connect();
  try {
    return (await client.query('SELECT count(*)::int AS n FROM events WHERE client_id = ANY($1)', [ids])).rows[0].n as number;
  } finally {
    await client.end();
  }
}

// SIGHUP: the supervisor restarts the API (and the scheduler), which re-reads its env file.
async function restartApi(): Promise<void> {
  const before = pidOf('api');
  process.kill(pidOf('supervisor')!, 'SIGHUP');
  await waitFor(async () => pidOf('api') !== before && (await stack.http('GET', '/health', { timeoutMs: 1000 })).status === 200, 20_000, 'the API restarted');
}

describe('the web stack (guardrails off)', () => {
  test('starts healthy; /health checks PostgreSQL and Redis only (nothing watches the scheduler)', async () => {
    const health = await stack.http('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', guardrails: false, checks: { postgres: { ok: true }, redis: { ok: true } } });
    expect((health.body as { checks: Record<string, unknown> }).checks.scheduler).toBeUndefined();
    expect(stack.target.describe()).toMatchObject({ guardrails: 'off' });
  });

  test('Redis stopped (SIGSTOP): patterns answer 500 (no fallback), where guardrails on serve them degraded', async () => {
    const redis = pidOf('redis')!;
    process.kill(redis, 'SIGSTOP');
    try {
      const patterns = await stack.http('GET', '/api/patterns');
      expect(patterns.status).toBe(500);
    } finally {
      process.kill(redis, 'SIGCONT');
    }
    await waitFor(async () => (await stack.http('GET', '/api/patterns')).status === 200, 10_000, 'patterns after SIGCONT');
  });

  test('PostgreSQL hung (SIGSTOP): a request waits with no answer (no timeout, no breaker), where guardrails on answer 503', async () => {
    const token = await stack.registerUser();
    // The postmaster and its backends: the pool's open connections hang too.
    const postgres = listProcessTree(pidOf('postgres')!);
    signalTree(postgres, 'SIGSTOP');
    try {
      await expect(stack.http('POST', '/api/auth/token', { body: { username: 'nobody' }, timeoutMs: 4000 })).rejects.toThrow(/no answer within 4000 ms/);
    } finally {
      signalTree(postgres, 'SIGCONT');
    }
    await waitFor(async () => (await stack.http('POST', '/api/events', { token, body: { id: `hang-off-${process.pid}`, kind: 'k' } })).status === 202, 20_000, 'events accepted again');
  });

  test('an upload is lost when the API restarts (its files live in a temp dir wiped at start)', async () => {
    const saved = await stack.http('POST', '/api/uploads', { body: Buffer.from('gone soon') });
    expect(saved.status).toBe(201);
    const id = (saved.body as { id: string }).id;
    expect((await stack.http('GET', `/api/uploads/${id}`)).status).toBe(200);
    await restartApi();
    expect((await stack.http('GET', `/api/uploads/${id}`)).status).toBe(404);
  });

  test('JWT_SECRET removed from the env file: the API still starts (hardcoded default) and rejects tokens signed with the real secret', async () => {
    const token = await stack.registerUser();
    const original = readFileSync(stack.target.apiEnvPath, 'utf8');
    writeFileSync(stack.target.apiEnvPath, original.replace(/^JWT_SECRET=.*$/m, ''));
    try {
      await restartApi();
      expect((await stack.http('POST', '/api/events', { token, body: { id: `jwt-${process.pid}`, kind: 'k' } })).status).toBe(401);
    } finally {
      writeFileSync(stack.target.apiEnvPath, original);
    }
    await restartApi();
    expect((await stack.http('POST', '/api/events', { token, body: { id: `jwt-${process.pid}`, kind: 'k' } })).status).toBe(202);
  });

  test('events acknowledged (202) before commit are lost when the API is killed, and nobody restarts it', async () => {
    const token = await stack.registerUser();
    const ids = Array.from({ length: 5 }, (_, index) => `off-${process.pid}-${index}`);
    const posted = await stack.http('POST', '/api/events', { token, body: { events: ids.map((id) => ({ id, kind: 'file.saved' })) } });
    expect(posted.status).toBe(202);
    expect(posted.body).toMatchObject({ accepted: 5, committed: false });
    const api = pidOf('api')!;
    process.kill(api, 'SIGKILL');
    await waitFor(() => pidOf('api') === undefined, 5000, 'the supervisor to notice the exit');
    // Counted in the database directly, not through the API: every acknowledged event is gone.
    expect(await countEvents(ids)).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    expect(pidOf('api')).toBeUndefined();
    await expect(stack.http('GET', '/health', { timeoutMs: 1000 })).rejects.toThrow(/ECONNREFUSED/);
    expect(readFileSync(stack.target.signalsPath, 'utf8')).not.toContain('"subject":"api"');
  });
});
