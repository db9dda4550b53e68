// sql.rows and redis.keys against a real PostgreSQL and Redis. The API here is a tiny stand-in written
// for the test (the web stack's own is tested with the stack): it acknowledges a write either once it is
// committed, or on receipt with the row buffered in memory — the failure matrix's batch processing —
// so a "crash" that drops the buffer loses acknowledged rows. Loss is checked against the test's own
// count in the database, never only against the canary's.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CanaryRun } from '../../src/canaries/canary-run.js';
import type { Target } from '../../src/targets/types.js';
import { monotonicMs } from '../../src/util/clock.js';
import { createServiceTarget, startPostgres, startRedis } from '../helpers/db-instances.js';

let postgres: Awaited<ReturnType<typeof startPostgres>>;
let redis: Awaited<ReturnType<typeof startRedis>>;
let dir: string;
let server: Server;
let db: pg.Pool;
let buffered: string[] = [];
let mode: 'commit' | 'buffer' = 'commit';
let target: Target;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-dbfaults-canaries-'));
  [postgres, redis] = await Promise.all([startPostgres(), startRedis({ aof: false })]);
  await postgres.sql('CREATE TABLE events (id bigserial primary key, client_id text unique not null, kind text not null)');
  db = new pg.Pool({ host: '127.0.0.1', port: postgres.endpoint.port, database: 'app', user: 'faultline', max: 2 });
  server = createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', async () => {
      if (request.url === '/api/auth/token') return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ token: 'T1' }));
      if (request.headers.authorization !== 'Bearer T1') return response.writeHead(401).end();
      const { id } = JSON.parse(text) as { id: string };
      if (mode === 'buffer') {
        buffered.push(id);
        return response.writeHead(202).end();
      }
      try {
        await db.query('INSERT INTO events (client_id, kind) VALUES ($1, $2)', [id, 'canary']);
        response.writeHead(201).end();
      } catch {
        response.writeHead(500).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const api = { name: 'api', kind: 'http' as const, host: '127.0.0.1', port: (server.address() as AddressInfo).port };
  target = createServiceTarget(dir, [api, postgres.endpoint, redis.endpoint]);
}, 60_000);
afterAll(async () => {
  await new Promise((resolve) => server?.close(resolve));
  await db?.end();
  await Promise.all([postgres?.stop(), redis?.stop()]);
  rmSync(dir, { recursive: true, force: true });
});

const flush = async () => {
  for (const id of buffered.splice(0)) await db.query('INSERT INTO events (client_id, kind) VALUES ($1, $2)', [id, 'canary']);
};
const countRows = async (like: string) => Number(await postgres.sql(`SELECT count(*) FROM events WHERE client_id LIKE '${like}'`));
const spec = { type: 'sql.rows', count: 4, intervalMs: 0, settleMs: 0, auth: { username: 'canary', tokenPath: '/api/auth/token' } } as const;

describe('sql.rows', () => {
  test('counts zero lost when every acknowledged write was committed, matching the table', async () => {
    mode = 'commit';
    const canaries = CanaryRun.create([spec], target);
    await canaries.sendPhase('before');
    const t0 = monotonicMs();
    await canaries.sendPhase('during');
    await canaries.sendPhase('after');
    const loss = await canaries.reconcile(t0);
    expect(loss).toMatchObject({ lost: 0, sent: 12, rejected: 0, window: null });
    const prefix = /^(fl-[0-9a-f]+-0-)/.exec((await postgres.sql("SELECT client_id FROM events WHERE client_id LIKE 'fl-%' ORDER BY id DESC LIMIT 1")))![1]!;
    expect(await countRows(`${prefix}%`)).toBe(12);
  });

  test('acknowledged writes dropped from the buffer are lost: count, sequence numbers and window, as the table shows', async () => {
    const canaries = CanaryRun.create([spec], target);
    mode = 'commit';
    await canaries.sendPhase('before');
    mode = 'buffer';
    const t0 = monotonicMs();
    await canaries.sendPhase('during');
    // The "crash": acknowledged (202) but never flushed.
    buffered = [];
    await canaries.sendPhase('after');
    await flush();
    mode = 'commit';
    const loss = await canaries.reconcile(t0);
    expect(loss).toMatchObject({ lost: 4, sent: 12, rejected: 0 });
    expect(loss.canaries![0]!.lostSeqs).toEqual([5, 6, 7, 8]);
    expect(loss.canaries![0]!.phases).toEqual([
      { phase: 'before', sent: 4, lost: 0, rejected: 0 },
      { phase: 'during', sent: 4, lost: 4, rejected: 0 },
      { phase: 'after', sent: 4, lost: 0, rejected: 0 },
    ]);
    expect(loss.window!.fromMs).toBeGreaterThanOrEqual(0);
    expect(loss.window!.toMs).toBeGreaterThanOrEqual(loss.window!.fromMs);
    // The test's own count: of the 12 acknowledged, 8 rows are there.
    const prefix = /^(fl-[0-9a-f]+-0-)/.exec((await postgres.sql("SELECT client_id FROM events WHERE client_id LIKE 'fl-%' ORDER BY id DESC LIMIT 1")))![1]!;
    expect(await countRows(`${prefix}%`)).toBe(12 - loss.lost);
  });

  test('writes the API refused are rejected, not lost', async () => {
    mode = 'commit';
    const canaries = CanaryRun.create([{ ...spec, auth: undefined }], target);
    await canaries.sendPhase('before');
    expect(await canaries.reconcile(monotonicMs())).toMatchObject({ lost: 0, sent: 0, rejected: 4 });
  });
});

describe('redis.keys', () => {
  test('zero lost while Redis keeps its keys; every acknowledged key lost when it restarts without persistence', async () => {
    const kept = CanaryRun.create([{ type: 'redis.keys', count: 3, intervalMs: 0, settleMs: 0 }], target);
    await kept.sendPhase('before');
    expect(await kept.reconcile(monotonicMs())).toMatchObject({ lost: 0, sent: 3 });

    const lost = CanaryRun.create([{ type: 'redis.keys', count: 3, intervalMs: 0, settleMs: 0 }], target);
    await lost.sendPhase('before');
    const t0 = monotonicMs();
    await redis.restart();
    await lost.sendPhase('after');
    const loss = await lost.reconcile(t0);
    expect(loss).toMatchObject({ lost: 3, sent: 6 });
    expect(loss.canaries![0]!.lostSeqs).toEqual([1, 2, 3]);
    expect(loss.window!.toMs).toBeLessThan(0);
  }, 30_000);
});
