// The service stack's Done-when: a partition between the web stack's API and its PostgreSQL is detected
// (/health answers 503 naming postgres, and a direct query fails), recovered after rollback (/health 200
// again, queries answer), and leaves the host's ruleset byte-identical.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { snapshotRuleset } from '../../src/net/nft.js';
import { createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../helpers/host-network-state.js';
import { readJournalTypes, waitForExit } from '../helpers/crash-harness.js';
import { startTestWebstack, waitFor, type TestWebstack } from '../helpers/webstack.js';
import { disposeAll, prepareFault } from './fault-steps.js';

const prefix = createTestPrefix('net');
let stack: TestWebstack;
let before: HostNetworkState;

beforeAll(async () => {
  before = await snapshotHostNetwork(prefix);
  stack = await startTestWebstack({ guardrails: true });
}, 90_000);
afterAll(async () => {
  await disposeAll();
  await stack?.stop();
  await expectHostNetworkUnchanged(before, prefix);
}, 60_000);

// A query straight to PostgreSQL (not through the API), bounded in time: the test's own evidence.
async function queryPostgres(): Promise<{ ok: boolean; detail: string }> {
  const postgres = stack.service('postgres');
  const client = new pg.Client({ host: postgres.host, port: postgres.port, database: postgres.database, user: postgres.user, password: postgres.password, connectionTimeoutMillis: 1000, query_timeout: 1000 });
  try {
    await client.connect();
    const result = await client.query('SELECT 1 AS one');
    return { ok: result.rows[0]?.one === 1, detail: 'SELECT 1 answered' };
  } catch (error) {
    return { ok: false, detail: (error as Error).message };
  } finally {
    await client.end().catch(() => {});
  }
}

describe('net.partition between the web stack API and PostgreSQL', () => {
  test('is detected by /health and a direct query, recovers after rollback, and leaves the ruleset byte-identical', async () => {
    expect((await stack.http('GET', '/health')).status).toBe(200);
    expect(await queryPostgres()).toMatchObject({ ok: true });
    const rulesetBefore = await snapshotRuleset(undefined);

    const fault = await prepareFault(stack.target, { type: 'net.partition', from: { service: 'api' }, to: { service: 'postgres' } });
    const plan = (await fault.plan()).touches.join('\n');
    expect(plan).toMatch(new RegExp(`postgres \\(127\\.0\\.0\\.1:${stack.service('postgres').port}\\)`));
    await fault.inject();
    try {
      expect(await fault.verify()).toBe(true);
      // Detected: /health fails naming postgres (the API's own ping times out), and a direct query fails.
      let failed: string[] = [];
      const ttd = await waitFor(async () => {
        const health = await stack.http('GET', '/health', { timeoutMs: 5000 });
        failed = health.status === 503 ? (health.body as { failed: string[] }).failed : [];
        return failed.includes('postgres');
      }, 15_000, '/health to fail naming postgres');
      expect(ttd).toBeLessThan(15_000);
      const direct = await queryPostgres();
      expect(direct.ok).toBe(false);
      expect(direct.detail).toMatch(/timeout|terminated/i);
      // Redis is not cut: only PostgreSQL's port is.
      expect(failed).not.toContain('redis');
    } finally {
      const result = await fault.rollback();
      expect(result, result.detail).toMatchObject({ ok: true, detail: expect.stringMatching(/ruleset identical to before/) });
    }
    expect(await snapshotRuleset(undefined)).toBe(rulesetBefore);
    // Recovered: /health 200 again and PostgreSQL answers.
    await waitFor(async () => (await stack.http('GET', '/health', { timeoutMs: 5000 })).status === 200, 30_000, '/health to pass again');
    expect(await queryPostgres()).toMatchObject({ ok: true });
  });
});

describe('net.partition between the web stack API and PostgreSQL, runner killed', () => {
  test('after kill -9 of `faultline run` mid-partition, `faultline recover` restores the ruleset byte for byte', async () => {
    const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
    const work = mkdtempSync(join(tmpdir(), 'faultline-net-crash-'));
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') };
    const reports = join(work, 'reports');
    try {
      const scenario = join(work, 'partition.yaml');
      writeFileSync(scenario, `
id: webstack-partition-api-postgres
title: API cut off from PostgreSQL
target: webstack
steadyState:
  - { probe: http, url: 'http://127.0.0.1:${stack.service('api').port}/health', timeoutMs: 3000 }
fault:
  type: net.partition
  from: { service: api }
  to: { service: postgres }
runs: 1
timeoutMs: 60000
stabilizeMs: 1000
`);
      const rulesetBefore = await snapshotRuleset(undefined);
      const dry = await execa(process.execPath, [bin, 'run', scenario, '--dry-run', '--target-dir', stack.dir], { cwd: work, env, reject: false });
      expect(dry.stdout + dry.stderr).toMatch(/mechanism: nftables/);
      const child = spawn(process.execPath, [bin, 'run', scenario, '--target-dir', stack.dir, '--reports', reports, '--quiet'], { cwd: work, env, stdio: 'ignore' });
      try {
        await waitFor(() => readJournalTypes(reports).includes('fault.inject'), 30_000, 'the partition to be injected');
        await waitFor(async () => (await stack.http('GET', '/health', { timeoutMs: 5000 })).status === 503, 15_000, '/health to fail');
      } finally {
        child.kill('SIGKILL');
        await waitForExit(child);
      }
      expect(await snapshotRuleset(undefined)).not.toBe(rulesetBefore); // still cut: only the ledger knows the table
      expect(await queryPostgres()).toMatchObject({ ok: false });
      const recovered = await execa(process.execPath, [bin, 'recover'], { cwd: work, env, reject: false });
      expect(recovered.exitCode, recovered.stdout + recovered.stderr).toBe(0);
      expect(recovered.stdout).toContain('✓ net.partition');
      expect(readdirSync(join(work, 'state', 'ledger'))).toEqual([]);
      expect(await snapshotRuleset(undefined)).toBe(rulesetBefore);
      await waitFor(async () => (await stack.http('GET', '/health', { timeoutMs: 5000 })).status === 200, 30_000, '/health to pass again');
      expect(await queryPostgres()).toMatchObject({ ok: true });
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
