// db.exhaust-connections and db.dr-drill on the real web stack (one stack for both). db.exhaust-connections: a
// new connection of faultline's probe role is refused while the fault holds the slots. db.dr-drill: backups from t0, the data directory destroyed and restored from the
// latest one; PostgreSQL comes back (started by the stack's supervisor) with the rows acknowledged before
// that backup and without those after it. The canary's loss is checked against the test's own count.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CanaryRun } from '../../src/canaries/canary-run.js';
import { readProcess } from '../../src/faults/proc-table.js';
import { listUidProcesses } from '../../src/util/proc-usage.js';
import { monotonicMs } from '../../src/util/clock.js';
import pg from 'pg';
import { countCanaryRows } from '../canaries/sql-rows-webstack.js';
import { startTestWebstack, waitFor, type TestWebstack } from '../helpers/webstack.js';
import { disposeAll, prepareFault } from './fault-steps.js';

let stack: TestWebstack;
beforeAll(async () => {
  stack = await startTestWebstack({ guardrails: true });
}, 90_000);
afterAll(async () => {
  await disposeAll();
  await stack?.stop();
}, 60_000);

describe('db.exhaust-connections on the web stack', () => {
  test('its probe role is refused (53300) while the slots are held, and gets in again after rollback', async () => {
    const service = stack.service('postgres');
    const connect = async () => {
      const client = new pg.Client({ host: service.host, port: service.port, database: service.database, user: service.user, password: service.password, connectionTimeoutMillis: 3000 });
      client.on('error', () => undefined);
      await client.connect();
      return client;
    };
    const fault = await prepareFault(stack.target, { type: 'db.exhaust-connections', durationMs: 30_000 });
    await fault.inject();
    expect(await fault.verify()).toBe(true);
    await expect(connect()).rejects.toMatchObject({ code: '53300' });
    expect(await fault.rollback()).toMatchObject({ ok: true });
    const client = await connect();
    await client.end();
  }, 60_000);
});

describe('db.dr-drill', () => {
  test('restores the latest backup: rows acknowledged after it are lost, counted by the canary as by the table; nothing is left stopped', async () => {
    const canaries = CanaryRun.create([{
      type: 'sql.rows', count: 40, intervalMs: 100, settleMs: 0, timeoutMs: 2000,
      auth: { username: `drill-${process.pid}`, registerPath: '/api/auth/register', tokenPath: '/api/auth/token' },
    }], stack.target);
    await canaries.sendPhase('before');
    const fault = await prepareFault(stack.target, { type: 'db.dr-drill', dataDir: 'pg/data', backupEveryMs: 1000, disasterAfterMs: 2500 });
    const t0 = monotonicMs();
    await fault.inject();
    const during = canaries.sendPhase('during');
    expect(await fault.verify()).toBe(true);
    const restoredAfterMs = monotonicMs() - t0;
    await during;
    const backInMs = await waitFor(async () => (await stack.http('GET', '/health')).status === 200, 60_000, '/health to pass after the restore');
    const rolled = await fault.rollback();
    expect(rolled.ok).toBe(true);
    await canaries.sendPhase('after');
    const loss = await canaries.reconcile(t0);
    const rows = await countCanaryRows(stack);
    console.log(`${rolled.detail}\nrestored ${Math.round(restoredAfterMs)} ms after t0, /health back ${Math.round(backInMs)} ms later; lost ${loss.lost} of ${loss.sent}, window ${JSON.stringify(loss.window)}`);
    // Writes between the latest backup (taken before the disaster at 2.5 s or later) and the disaster are gone.
    expect(loss.lost).toBeGreaterThan(0);
    expect(loss.window!.fromMs).toBeGreaterThanOrEqual(0);
    expect(loss.window!.toMs).toBeLessThanOrEqual(restoredAfterMs);
    // Everything acknowledged before t0 (the first backup) survived.
    expect(loss.canaries![0]!.phases[0]).toMatchObject({ phase: 'before', sent: 40, lost: 0 });
    expect(rows).toBe(loss.sent - loss.lost);
    // No process of the stack is left stopped by a backup.
    const stopped = listUidProcesses(stack.uid).filter((entry) => readProcess(entry.pid)?.state === 'T');
    expect(stopped).toEqual([]);
  }, 120_000);
});
