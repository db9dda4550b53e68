// db.exhaust-connections against a real PostgreSQL: the application's role is refused (53300) while the
// fault holds the slots, a superuser still gets in, and rollback leaves none of the fault's sessions —
// counted here with the test's own query on pg_stat_activity, not by the fault.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Target } from '../../src/targets/types.js';
import { createServiceTarget, startPostgres } from '../helpers/db-instances.js';
import { disposeAll, prepareFault } from './fault-steps.js';

let postgres: Awaited<ReturnType<typeof startPostgres>>;
let dir: string;
let target: Target;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fl-dbfaults-exhaust-'));
  postgres = await startPostgres({ maxConnections: 12 });
  await postgres.sql('CREATE ROLE app LOGIN');
  target = createServiceTarget(dir, [postgres.endpoint]);
}, 60_000);
afterAll(async () => {
  await disposeAll();
  await postgres?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const connectAs = async (user: string) => {
  const client = new pg.Client({ host: '127.0.0.1', port: postgres.endpoint.port, database: 'app', user, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  await client.connect();
  return client;
};
const countSessions = async (like: string) => Number(await postgres.sql(`SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE '${like}'`));

describe('db.exhaust-connections', () => {
  test('holds every non-reserved slot: the application is refused with 53300, a superuser is not; rollback frees them all', async () => {
    const app = await connectAs('app');
    const fault = await prepareFault(target, { type: 'db.exhaust-connections', evictUser: 'app', durationMs: 60_000 });
    // 12 slots, 3 reserved, the app's one in use: 8 to hold, and the app's slot once it is evicted.
    expect(fault.state.connections).toBe(8);
    await fault.inject();
    expect(await fault.verify()).toBe(true);
    // The application's existing session was evicted, and it cannot get a new one.
    await expect(app.query('SELECT 1')).rejects.toThrow();
    await expect(connectAs('app')).rejects.toMatchObject({ code: '53300' });
    const admin = await connectAs('faultline');
    await admin.end();
    expect(await countSessions('faultline-exhaust-%')).toBe(9);

    const rolled = await fault.rollback();
    expect(rolled).toMatchObject({ ok: true });
    expect(await countSessions('faultline-exhaust-%')).toBe(0);
    const again = await connectAs('app');
    expect((await again.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await again.end();
    await app.end().catch(() => undefined);
    // Idempotent.
    expect(await fault.rollback()).toMatchObject({ ok: true });
  }, 60_000);

  test('a rollback from state alone (another process, after a crash) terminates sessions still marked as the fault’s', async () => {
    const fault = await prepareFault(target, { type: 'db.exhaust-connections', connections: 2 });
    // What a killed runner may leave for a moment: a session under the fault's marker that no process of this fault holds.
    const leftover = new pg.Client({ host: '127.0.0.1', port: postgres.endpoint.port, database: 'app', user: 'app', application_name: String(fault.state.application) });
    leftover.on('error', () => undefined);
    await leftover.connect();
    expect(await countSessions(String(fault.state.application))).toBe(1);
    const fresh = { ...fault.context, stateDir: join(fault.context.stateDir, 'elsewhere') };
    expect(await fault.definition.rollback(fault.params, fresh, fault.state)).toMatchObject({ ok: true });
    expect(await countSessions(String(fault.state.application))).toBe(0);
    await leftover.end().catch(() => undefined);
  }, 30_000);

  test('the connections close by themselves after durationMs', async () => {
    const fault = await prepareFault(target, { type: 'db.exhaust-connections', connections: 3, durationMs: 300 });
    await fault.inject();
    expect(await countSessions('faultline-exhaust-%')).toBe(3);
    const deadline = performance.now() + 10_000;
    while ((await countSessions('faultline-exhaust-%')) > 0 && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await countSessions('faultline-exhaust-%')).toBe(0);
    expect(await fault.verify()).toBe(false);
    expect(await fault.rollback()).toMatchObject({ ok: true });
  }, 30_000);

  test('a target without a postgres service is refused at plan time, naming its services', async () => {
    const bare = createServiceTarget(dir, [{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: 1 }]);
    await expect(prepareFault(bare, { type: 'db.exhaust-connections' })).rejects.toThrow(/no postgres service[\s\S]*/);
  });
});
