// The sql and redis probes against a real PostgreSQL and a real Redis (loopback, temp dirs).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { closeProbeSet, createProbeSet, type NamedProbe } from '../../src/run/probe-set.js';
import type { ProbeSpec } from '../../src/scenario/types.js';
import type { Target } from '../../src/targets/types.js';
import { createServiceTarget, startPostgres, startRedis, type TestInstance } from '../helpers/db-instances.js';

let postgres: Awaited<ReturnType<typeof startPostgres>>;
let redis: TestInstance;
let dir: string;
let target: Target;
const sets: NamedProbe[][] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-dbfaults-probes-'));
  [postgres, redis] = await Promise.all([startPostgres(), startRedis()]);
  target = createServiceTarget(dir, [postgres.endpoint, redis.endpoint]);
  await postgres.sql('CREATE TABLE items (id serial primary key, note text); INSERT INTO items (note) VALUES (\'a\'), (\'b\'), (\'c\')');
}, 60_000);
afterAll(async () => {
  for (const set of sets) await closeProbeSet(set);
  await Promise.all([postgres?.stop(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

function probe(spec: ProbeSpec): NamedProbe {
  const set = createProbeSet([spec], target, 100);
  sets.push(set);
  return set[0]!;
}

describe('sql probe', () => {
  test('passes on rows within bounds and fails on too few, with the row count', async () => {
    expect(await probe({ probe: 'sql', query: 'SELECT * FROM items', minRows: 3 }).probe.check()).toEqual({ ok: true });
    expect(await probe({ probe: 'sql', query: 'SELECT * FROM items', minRows: 4 }).probe.check()).toMatchObject({ ok: false, detail: 'postgres: 3 rows, expected at least 4' });
    expect(await probe({ probe: 'sql', query: 'SELECT * FROM items', maxRows: 2 }).probe.check()).toMatchObject({ ok: false, detail: 'postgres: 3 rows, expected at most 2' });
  });

  test('runs its query read-only: a write fails with SQLSTATE 25006 and changes nothing', async () => {
    const result = await probe({ probe: 'sql', query: "INSERT INTO items (note) VALUES ('probe')" }).probe.check();
    expect(result).toMatchObject({ ok: false, detail: expect.stringContaining('25006 invalid transaction state') });
    expect(await postgres.sql('SELECT count(*) FROM items')).toBe('3');
  });

  test('a query over its latency budget fails with the latency it took', async () => {
    const result = await probe({ probe: 'sql', query: 'SELECT pg_sleep(0.2)', latencyMs: 50 }).probe.check();
    expect(result).toMatchObject({ ok: false, detail: expect.stringMatching(/^postgres: \d+\.\d ms \(> 50 ms\)$/) });
  });

  test('a missing table and a refused connection are told apart by their error class', async () => {
    expect(await probe({ probe: 'sql', query: 'SELECT * FROM nothing_here' }).probe.check()).toMatchObject({ ok: false, detail: expect.stringContaining('42P01 syntax error or access rule violation') });
    const elsewhere = createServiceTarget(dir, [{ ...postgres.endpoint, port: 1 }]);
    const set = createProbeSet([{ probe: 'sql' }], elsewhere, 100);
    sets.push(set);
    expect(await set[0]!.probe.check()).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
  });

  test('a service the target does not have is refused, naming the ones it has', () => {
    expect(() => probe({ probe: 'sql', service: 'warehouse' })).toThrow(/no service warehouse/);
    expect(() => probe({ probe: 'sql', service: 'redis' })).toThrow(/redis, not postgres/);
  });
});

describe('redis probe', () => {
  test('PING passes; GET checks the key exists and its value matches', async () => {
    expect(await probe({ probe: 'redis' }).probe.check()).toEqual({ ok: true });
    const get = probe({ probe: 'redis', get: 'fl:probe', matches: '^ready$' });
    expect(await get.probe.check()).toMatchObject({ ok: false, detail: 'redis GET fl:probe: no such key' });
    const { connectRedis } = await import('../../src/targets/services/redis-client.js');
    const client = await connectRedis(redis.endpoint, 1000);
    await client.set('fl:probe', 'warming');
    expect(await get.probe.check()).toMatchObject({ ok: false, detail: 'redis GET fl:probe: value does not match /^ready$/' });
    await client.set('fl:probe', 'ready');
    expect(await get.probe.check()).toEqual({ ok: true });
    client.disconnect();
  });

  test('a hung server fails PING by its timeout and passes once it runs again; a closed port fails with ECONNREFUSED', async () => {
    const ping = probe({ probe: 'redis', timeoutMs: 500 });
    process.kill(redis.pid, 'SIGSTOP');
    try {
      expect(await ping.probe.check()).toMatchObject({ ok: false, detail: expect.stringContaining('redis PING: timeout: no answer within 500 ms') });
    } finally {
      process.kill(redis.pid, 'SIGCONT');
    }
    expect(await ping.probe.check()).toEqual({ ok: true });
    const gone = createServiceTarget(dir, [{ ...redis.endpoint, port: 1 }]);
    const set = createProbeSet([{ probe: 'redis' }], gone, 100);
    sets.push(set);
    expect(await set[0]!.probe.check()).toMatchObject({ ok: false, detail: expect.stringContaining('ECONNREFUSED') });
  });
});
