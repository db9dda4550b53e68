// A cluster faultline started is recorded in the ledger before its first member starts: after kill -9
// of the process that started it, `faultline recover` stops it and leaves nothing. Root only.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { listNamespaces } from '../../../src/net/namespace.js';
import { Ledger } from '../../../src/run/ledger.js';
import { recoverIntents } from '../../../src/run/recover.js';
import { readClusterState } from '../../../src/targets/etcd/layout.js';
import { findMemberProcess, stopEtcdCluster } from '../../../src/targets/etcd/stop.js';
import { isMounted } from '../../../src/targets/reference/mount.js';
import { listUidProcesses } from '../../../src/util/proc-usage.js';

const root = join(import.meta.dirname, '..', '..', '..');

describe.skipIf(process.getuid?.() !== 0)('faultline recover and the etcd driver', () => {
  test('kill -9 of the process that started a cluster, then recover: members, tmpfs, namespaces and dir are gone', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'fl-etcd-recover-'));
    const script = `
      const { startRecordedCluster } = await import(${JSON.stringify(join(root, 'dist/targets/etcd/recorded-start.js'))});
      const { Ledger } = await import(${JSON.stringify(join(root, 'dist/run/ledger.js'))});
      const started = await startRecordedCluster({ ledger: new Ledger(${JSON.stringify(stateDir)}), id: 'etcd-recover-test', runId: 'test' }, { heartbeatMs: 50, electionMs: 500 });
      process.stdout.write(started.state.dir + '\\n');
      setInterval(() => {}, 1000);`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    const dir = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes('\n')) resolve(out.trim());
      });
      child.once('exit', (code) => reject(new Error(`the starter exited (${code}) before the cluster was up`)));
    });
    try {
    const state = readClusterState(dir);
    expect(state.members.every((member) => findMemberProcess(member) !== undefined)).toBe(true);
    child.kill('SIGKILL');
    await new Promise((resolve) => child.once('exit', resolve));

    const report = await recoverIntents(new Ledger(stateDir));
    expect(report.lines.join('\n')).toMatch(/stopped the etcd cluster in/);
    expect(new Ledger(stateDir).list()).toEqual([]);
    expect(state.members.map((member) => findMemberProcess(member))).toEqual([undefined, undefined, undefined]);
    expect(state.members.some((member) => isMounted(member.dir))).toBe(false);
    expect(listUidProcesses(state.runAs.uid)).toEqual([]);
    if (state.network.mode === 'namespaces') expect(await listNamespaces(state.network.prefix)).toEqual([]);
    expect(existsSync(dir)).toBe(false);
    } finally {
      // A failed expectation must not leave the cluster behind.
      child.kill('SIGKILL');
      await stopEtcdCluster(dir);
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 90_000);
});
