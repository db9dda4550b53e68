// The sql.rows canary against the real web stack, around a crash of its API (SIGKILL through process.kill):
// without guardrails the API acknowledges events (202) before they are committed and keeps them in memory,
// so the crash loses acknowledged rows; with guardrails it acknowledges (201) only what is committed. The
// loss the canary reports is checked against the test's own count of the rows in the events table.
import pg from 'pg';
import { expect } from 'vitest';
import { CanaryRun } from '../../src/canaries/canary-run.js';
import { monotonicMs } from '../../src/util/clock.js';
import { prepareFault } from '../faults/fault-steps.js';
import { waitFor, type TestWebstack } from '../helpers/webstack.js';

/** Rows of this run's canary items in the events table, counted with the probe role (not by the canary). */
export async function countCanaryRows(stack: TestWebstack): Promise<number> {
  const service = stack.service('postgres');
  const client = new pg.Client({ host: service.host, port: service.port, database: service.database, user: service.user, password: service.password });
  await client.connect();
  try {
    return Number((await client.query("SELECT count(*) AS n FROM events WHERE client_id LIKE 'fl-%'")).rows[0].n);
  } finally {
    await client.end();
  }
}

/** Writes 3 × 6 items around a crash of the API; returns what the canary reported and what the table holds. */
export async function crashDuringWrites(stack: TestWebstack) {
  const canaries = CanaryRun.create([{
    type: 'sql.rows', count: 6, intervalMs: 20, settleMs: 0, timeoutMs: 2000,
    auth: { username: `canary-${process.pid}`, registerPath: '/api/auth/register', tokenPath: '/api/auth/token' },
  }], stack.target);
  await canaries.sendPhase('before');
  // The steady state before the fault: what was acknowledged is in the table (a flush, without guardrails).
  await waitFor(async () => (await countCanaryRows(stack)) === 6, 15_000, 'the before-phase rows to be stored');
  // Prepared first (it reads the process table): the crash then comes right after the writes, before a flush.
  const fault = await prepareFault(stack.target, { type: 'process.kill', process: 'api' });
  const t0 = monotonicMs();
  await canaries.sendPhase('during');
  await fault.inject();
  const crashedAfterMs = monotonicMs() - t0;
  expect(await fault.verify()).toBe(true);
  await fault.rollback();
  // With guardrails the supervisor restarts the API; without, it stays down and the after-phase is refused.
  if (stack.target.state.options.guardrails) await waitFor(async () => (await stack.http('GET', '/health')).status === 200, 30_000, 'the API to come back');
  await canaries.sendPhase('after');
  const loss = await canaries.reconcile(t0);
  return { loss, rows: await countCanaryRows(stack), crashedAfterMs };
}
