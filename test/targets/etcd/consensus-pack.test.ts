// The consensus pack's partition scenarios against one real three-member etcd cluster (a network
// namespace per member) that the test starts itself and hands to `faultline run --target-dir`, so it
// can then ask etcd directly whether every acknowledged canary write is there. Root only.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../../helpers/host-network-state.js';
import { listPrefix, getHealth } from '../../../src/targets/etcd/client.js';
import { getClientUrl, type EtcdClusterState } from '../../../src/targets/etcd/layout.js';
import { startEtcdCluster } from '../../../src/targets/etcd/start.js';
import { stopEtcdCluster } from '../../../src/targets/etcd/stop.js';
import { isMounted } from '../../../src/targets/reference/mount.js';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import { CANARY_PREFIX } from '../../../src/canaries/etcd-writes.js';

const root = join(import.meta.dirname, '..', '..', '..');
const run = promisify(execFile);
const isRoot = process.getuid?.() === 0;
const prefix = `fl-etcd-${process.pid.toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const pack = join(root, 'scenarios', 'consensus');
const scenarios = ['consensus-001-follower-partitioned.yaml', 'consensus-002-leader-partitioned.yaml', 'consensus-003-quorum-lost.yaml'].map((name) => join(pack, name));

interface RunResult {
  recovered: boolean;
  rtoMs: number | null;
  targetRtoMs?: number | null;
  probeOutages?: Array<{ probe: string; failedAtMs: number; restoredAtMs: number | null; unavailableMs: number | null }>;
  dataLoss: { lost: number; sent: number; rejected: number } | null;
  rollback: { ok: boolean; detail: string } | null;
}

describe.skipIf(!isRoot)('scenarios/consensus against a three-member etcd cluster', () => {
  let state: EtcdClusterState;
  let cwd: string;
  let network: HostNetworkState;
  let summary: { verdict: string; exitCode: number; scenarios: Array<{ id: string; verdict: string; runs: RunResult[] }> };
  let exitCode: number;

  beforeAll(async () => {
    network = await snapshotHostNetwork(prefix);
    cwd = mkdtempSync(join(tmpdir(), 'fl-etcd-pack-'));
    state = await startEtcdCluster({ heartbeatMs: 50, electionMs: 500, network: 'namespaces', networkPrefix: prefix });
    const result = await run(process.execPath, [join(root, 'bin', 'faultline.js'), 'run', ...scenarios, '--target-dir', state.dir], { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 240_000 }).then(
      () => ({ code: 0 }),
      (error: { code?: number }) => ({ code: error.code ?? -1 }),
    );
    exitCode = result.code;
    const runs = readdirSync(join(cwd, 'reports')).filter((name) => /^\d{8}-/.test(name));
    summary = JSON.parse(readFileSync(join(cwd, 'reports', runs[0]!, 'summary.json'), 'utf8'));
  }, 300_000);

  afterAll(async () => {
    try {
      if (state) {
        const report = await stopEtcdCluster(state.dir);
        expect(report.left).toEqual([]);
        for (const member of state.members) expect(isMounted(member.dir)).toBe(false);
        expect(listUidProcesses(state.runAs.uid)).toEqual([]);
        await expectHostNetworkUnchanged(network, prefix);
      }
      if (cwd) {
        const ledger = join(cwd, '.faultline', 'ledger');
        expect(existsSync(ledger) ? readdirSync(ledger).filter((name) => name.endsWith('.json')) : []).toEqual([]);
      }
    } finally {
      // The run's reports and ledger folder go whatever the checks above said.
      if (cwd) rmSync(cwd, { recursive: true, force: true });
    }
  }, 60_000);

  const byId = (id: string) => summary.scenarios.find((scenario) => scenario.id === id)!;

  test('the run passes: the follower and the leader partitions recover, the quorum loss is a documented gap', () => {
    expect(exitCode).toBe(0);
    expect(summary.scenarios.map((scenario) => [scenario.id, scenario.verdict])).toEqual([
      ['consensus-follower-partitioned', 'pass'],
      ['consensus-leader-partitioned', 'pass'],
      ['consensus-quorum-lost', 'known-gap'],
    ]);
    for (const scenario of summary.scenarios) expect(scenario.runs[0]!.rollback).toMatchObject({ ok: true });
  });

  test('a partitioned follower is recovered: every member healthy again after it rejoins', () => {
    const result = byId('consensus-follower-partitioned').runs[0]!;
    expect(result.recovered).toBe(true);
    // The partition lasts 3 s: recovery cannot come before it ends, and its probe outage says who failed.
    expect(result.rtoMs!).toBeGreaterThan(3000);
    expect(result.probeOutages?.map((outage) => outage.probe)).toContain('every member healthy');
  });

  test('a partitioned leader shows a measured election time and write unavailability', () => {
    const result = byId('consensus-leader-partitioned').runs[0]!;
    expect(result.recovered).toBe(true);
    // etcd's own "elected leader" line, seen after t0 and within a few election timeouts (500 ms each).
    expect(result.targetRtoMs).not.toBeNull();
    expect(result.targetRtoMs!).toBeGreaterThan(0);
    expect(result.targetRtoMs!).toBeLessThan(10_000);
    const write = result.probeOutages?.find((outage) => outage.probe === 'write');
    expect(write?.restoredAtMs).not.toBeNull();
    expect(write!.unavailableMs!).toBeGreaterThan(0);
  });

  test('quorum loss is honestly not recovered while the partition holds, and the cluster is whole after rollback', async () => {
    const result = byId('consensus-quorum-lost').runs[0]!;
    expect(result.recovered).toBe(false);
    expect(result.rtoMs).toBeNull();
    // Rolled back by the run: the three members find a leader again and say they are healthy.
    const deadline = performance.now() + 20_000;
    let healthy = false;
    while (!healthy && performance.now() < deadline) {
      healthy = (await Promise.all(state.members.map((member) => getHealth(getClientUrl(member), 1000)))).every((answer) => answer.healthy);
      if (!healthy) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(healthy).toBe(true);
  });

  test('no acknowledged write is lost: etcd itself holds every one the canaries counted as sent', async () => {
    const runs = summary.scenarios.map((scenario) => scenario.runs[0]!);
    for (const result of runs) expect(result.dataLoss).toMatchObject({ lost: 0 });
    const kvs = await listPrefix(getClientUrl(state.members[0]!), CANARY_PREFIX, 5000);
    // One token prefix per run (fl-<run key>-<canary>-): count what etcd holds of each.
    const groups = new Map<string, Set<number>>();
    for (const { value } of kvs) {
      const match = /^(fl-[0-9a-f]+-\d+-)(\d+)$/.exec(value);
      if (!match) continue;
      groups.set(match[1]!, (groups.get(match[1]!) ?? new Set()).add(Number(match[2])));
    }
    expect(groups.size).toBe(runs.length);
    const sent = runs.map((result) => result.dataLoss!.sent).sort((a, b) => a - b);
    const offered = runs.map((result) => result.dataLoss!.sent + result.dataLoss!.rejected);
    const found = [...groups.values()].map((seqs) => seqs.size).sort((a, b) => a - b);
    // Every acknowledged write is in etcd; a write not acknowledged in time may have committed anyway.
    expect(found.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(sent.reduce((a, b) => a + b, 0));
    expect(found.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(offered.reduce((a, b) => a + b, 0));
    for (let index = 0; index < runs.length; index++) expect(found[index]!).toBeGreaterThanOrEqual(sent[index]!);
  });
});
