// The web stack with guardrails on: a real PostgreSQL, Redis, API and scheduler under the stack's own
// supervisor, on free loopback ports, in one temp dir; one stack for the whole file.
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { readPidFile } from '../../src/util/pid.js';
import { listProcessTree, signalTree, startTestWebstack, waitFor, type TestWebstack } from '../helpers/webstack.js';

let stack: TestWebstack;

beforeAll(async () => {
  stack = await startTestWebstack({ guardrails: true });
}, 90_000);

afterAll(async () => {
  await stack?.stop();
}, 60_000);

function pidOf(name: string): number {
  const pid = readPidFile(stack.target.processes.find((entry) => entry.name === name)!.pidfile!);
  if (pid === undefined) throw new Error(`no pid for ${name}`);
  return pid;
}

async function countEvents(ids: string[]): Promise<number> {
  const postgres = stack.service('postgres');
  const client = new pg.Client({ host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password });
  await client.connect();
  try {
    const result = await client.query('SELECT count(*)::int AS n FROM events WHERE client_id = ANY($1)', [ids]);
    return result.rows[0].n as number;
  } finally {
    await client.end();
  }
}

describe('the web stack (guardrails on)', () => {
  test('starts healthy: /health checks PostgreSQL, Redis and the scheduler; services, processes and the data area are declared', async () => {
    const health = await stack.http('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({ status: 'ok', guardrails: true, failed: [], checks: { postgres: { ok: true }, redis: { ok: true }, scheduler: { ok: true } } });
    expect(stack.target.capabilities).toEqual(['services']);
    expect(stack.target.services.map((service) => [service.name, service.kind])).toEqual([['api', 'http'], ['postgres', 'postgres'], ['redis', 'redis']]);
    expect(stack.service('postgres')).toMatchObject({ host: '127.0.0.1', database: 'app', user: 'fl_probe' });
    expect(stack.service('postgres').socketDir).toBe(`${stack.dir}/pg-socket`);
    for (const name of ['supervisor', 'postgres', 'redis', 'api', 'scheduler']) expect(readFileSync(`/proc/${pidOf(name)}/cmdline`, 'utf8')).toContain(stack.dir);
    if (process.getuid?.() === 0) {
      expect(stack.uid).toBeGreaterThan(0);
      expect(stack.target.runAs?.uid).toBe(stack.uid);
      for (const name of ['postgres', 'redis', 'api']) expect(statSync(`/proc/${pidOf(name)}`).uid).toBe(stack.uid);
      expect(stack.target.dataAreas).toEqual([expect.objectContaining({ path: `${stack.dir}/pg`, kind: 'tmpfs' })]);
      expect(readFileSync('/proc/self/mountinfo', 'utf8')).toContain(` ${stack.dir}/pg `);
    }
    expect(stack.target.describe()).toMatchObject({ driver: 'webstack', guardrails: 'on' });
  });

  test('a user registers (DB insert), posts a batch with its JWT (201 once committed: the rows are in the table), and reads patterns through the cache', async () => {
    const token = await stack.registerUser();
    const ids = [`on-${process.pid}-1`, `on-${process.pid}-2`, `on-${process.pid}-3`];
    const posted = await stack.http('POST', '/api/events', { token, body: { events: ids.map((id) => ({ id, kind: 'file.saved', payload: { n: 1 } })) } });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ accepted: 3, committed: true });
    expect(await countEvents(ids)).toBe(3);
    expect((await stack.http('POST', '/api/events', { token: `${token}x`, body: { id: 'bad', kind: 'k' } })).status).toBe(401);
    expect((await stack.http('POST', '/api/events', { body: { id: 'bad', kind: 'k' } })).status).toBe(401);
    const first = await stack.http('GET', '/api/patterns');
    expect(first.status).toBe(200);
    expect((first.body as { patterns: Array<{ kind: string; count: number }> }).patterns).toContainEqual({ kind: 'file.saved', count: 3 });
    const second = await stack.http('GET', '/api/patterns');
    expect(second.body).toMatchObject({ source: 'redis', degraded: false });
  });

  test('an upload is stored on persistent disk and read back', async () => {
    const saved = await stack.http('POST', '/api/uploads', { body: Buffer.from('hello upload') });
    expect(saved.status).toBe(201);
    const id = (saved.body as { id: string }).id;
    const read = await stack.http('GET', `/api/uploads/${id}`);
    expect(read).toMatchObject({ status: 200, body: 'hello upload' });
    expect(readFileSync(`${stack.dir}/uploads/${id}`, 'utf8')).toBe('hello upload');
  });

  test('Redis stopped (SIGSTOP): /health fails naming redis, patterns still answer 200 from the in-memory fallback, marked degraded', async () => {
    const redis = pidOf('redis');
    process.kill(redis, 'SIGSTOP');
    try {
      const health = await stack.http('GET', '/health');
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: 'fail', failed: ['redis'] });
      const patterns = await stack.http('GET', '/api/patterns');
      expect(patterns.status).toBe(200);
      expect(patterns.body).toMatchObject({ degraded: true });
      expect(patterns.headers['x-degraded']).toMatch(/redis unavailable/);
    } finally {
      process.kill(redis, 'SIGCONT');
    }
    await waitFor(async () => (await stack.http('GET', '/health')).status === 200, 10_000, '/health ok after SIGCONT');
  });

  test('JWT_SECRET removed from the env file: a restarted API refuses to start, saying why, until the secret is back', async () => {
    const original = readFileSync(stack.target.apiEnvPath, 'utf8');
    const before = pidOf('api');
    writeFileSync(stack.target.apiEnvPath, original.replace(/^JWT_SECRET=.*$/m, ''));
    try {
      process.kill(pidOf('supervisor'), 'SIGHUP');
      await waitFor(() => /JWT_SECRET is missing: refusing to start/.test(readFileSync(`${stack.dir}/logs/api.log`, 'utf8')), 10_000, 'the refusal in api.log');
      await waitFor(() => readFileSync(stack.target.signalsPath, 'utf8').includes('exit code 78'), 10_000, 'the supervisor seeing exit 78');
      await expect(stack.http('GET', '/health', { timeoutMs: 1000 })).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      writeFileSync(stack.target.apiEnvPath, original);
    }
    await waitFor(async () => (await stack.http('GET', '/health', { timeoutMs: 1000 })).status === 200, 20_000, 'the API back with its secret');
    expect(pidOf('api')).not.toBe(before);
  });

  test('PostgreSQL hung (SIGSTOP): requests fail with 503 once the pre-ping times out, and after 5 failures the circuit breaker answers at once with Retry-After', async () => {
    const token = await stack.registerUser();
    // The postmaster and its backends: the pool's open connections hang too.
    const postgres = listProcessTree(pidOf('postgres'));
    signalTree(postgres, 'SIGSTOP');
    try {
      const first = await Promise.all(Array.from({ length: 5 }, (_, index) => stack.http('POST', '/api/events', { token, body: { id: `hang-${process.pid}-${index}`, kind: 'k' }, timeoutMs: 15_000 })));
      expect(first.map((answer) => answer.status)).toEqual([503, 503, 503, 503, 503]);
      const refused = await stack.http('POST', '/api/events', { token, body: { id: `hang-${process.pid}-x`, kind: 'k' } });
      expect(refused.status).toBe(503);
      expect(refused.body).toMatchObject({ error: expect.stringContaining('circuit breaker open') });
      expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(refused.ms).toBeLessThan(1000);
    } finally {
      signalTree(postgres, 'SIGCONT');
    }
    await waitFor(async () => (await stack.http('POST', '/api/events', { token, body: { id: `hang-${process.pid}-after`, kind: 'k' } })).status === 201, 20_000, 'events accepted again');
  });

  test('PostgreSQL killed (SIGKILL): the supervisor restarts it, and its repair line is never earlier than PostgreSQL accepting connections', async () => {
    const postgres = stack.service('postgres');
    const killedAt = performance.timeOrigin + performance.now();
    process.kill(pidOf('postgres'), 'SIGKILL');
    // Connection attempts back to back, each with its start time, until one succeeds after the repair is logged.
    const attempts: Array<{ t: number; ok: boolean }> = [];
    const repairOf = () => readFileSync(stack.target.signalsPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { t: number; event: string; subject: string }).find((event) => event.event === 'repair' && event.subject === 'postgres' && event.t > killedAt);
    const deadline = performance.now() + 30_000;
    for (;;) {
      const t = performance.timeOrigin + performance.now();
      const client = new pg.Client({ host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password, connectionTimeoutMillis: 1000 });
      const ok = await client.connect().then(() => true, () => false);
      await client.end().catch(() => undefined);
      attempts.push({ t, ok });
      const repair = repairOf();
      if (repair !== undefined && attempts.some((attempt) => attempt.ok && attempt.t > repair.t)) break;
      if (performance.now() > deadline) throw new Error('PostgreSQL not back with its repair logged within 30 s');
    }
    const repair = repairOf()!;
    expect(attempts.some((attempt) => !attempt.ok)).toBe(true);
    // Every attempt started after the repair line succeeded: the line is written once PostgreSQL serves.
    expect(attempts.filter((attempt) => attempt.t > repair.t && !attempt.ok)).toEqual([]);
    await waitFor(async () => (await stack.http('GET', '/health', { timeoutMs: 1000 })).status === 200, 20_000, '/health after PostgreSQL restarted');
  });

  test('the API killed (SIGKILL): the supervisor restarts it, /health passes again, and its detection and repair are in events.jsonl with epoch ms', async () => {
    const before = pidOf('api');
    const killedAt = performance.timeOrigin + performance.now();
    process.kill(before, 'SIGKILL');
    const ms = await waitFor(async () => (await stack.http('GET', '/health', { timeoutMs: 1000 })).status === 200 && readPidFile(`${stack.dir}/run/api.pid`) !== before, 20_000, 'the API back');
    expect(ms).toBeLessThan(20_000);
    expect(pidOf('api')).not.toBe(before);
    await waitFor(() => readFileSync(stack.target.signalsPath, 'utf8').split('\n').some((line) => line.includes('"repair"') && JSON.parse(line).t >= killedAt), 5000, 'a repair line');
    const events = readFileSync(stack.target.signalsPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { t: number; event: string; subject: string });
    const detect = events.find((event) => event.event === 'detect' && event.subject === 'api' && event.t >= killedAt - 1);
    const repair = events.find((event) => event.event === 'repair' && event.subject === 'api' && event.t >= killedAt - 1);
    expect(detect).toBeDefined();
    expect(repair!.t).toBeGreaterThan(detect!.t);
  });
});
