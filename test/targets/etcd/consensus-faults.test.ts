// The rest of the consensus pack through `faultline run`, each scenario on a fresh cluster the run
// starts and stops itself (leader kill and hang by role, load faults on a member's client port, a slow
// leader, a full member disk, a corrupted member), and the clock-skew refusal in validate and
// --dry-run. Root only; nothing may be left behind.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listNamespaces } from '../../../src/net/namespace.js';
import { isGoBinary } from '../../../src/util/go-binary.js';

const root = join(import.meta.dirname, '..', '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const pack = join(root, 'scenarios', 'consensus');
const isRoot = process.getuid?.() === 0;
const exec = promisify(execFile);

async function faultline(args: string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return exec(process.execPath, [bin, ...args], { cwd, env: { ...process.env, NO_COLOR: '1' }, timeout: 400_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code?: number; stdout?: string; stderr?: string }) => ({ code: error.code ?? -1, stdout: error.stdout ?? '', stderr: error.stderr ?? '' }),
  );
}

function listOwn(prefix: string): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith(prefix));
}

describe.skipIf(!isRoot)('the consensus pack’s other failure modes, each on a fresh etcd cluster', () => {
  let cwd: string;
  let before: { dirs: string[]; namespaces: string[] };
  let summary: { scenarios: Array<{ id: string; verdict: string; checks: unknown[]; runs: Array<{ status: string; recovered: boolean; detected: boolean; ttdMs: number | null; rtoMs: number | null; dataLoss: { lost: number } | null; rollback: { ok: boolean } | null; reason?: string }> }> };

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'fl-etcd-faults-'));
    before = { dirs: listOwn('faultline-etcd-'), namespaces: await listNamespaces('fl-etcd-') };
    const files = readdirSync(pack).filter((name) => name.endsWith('.yaml') && !/consensus-00[123]/.test(name)).map((name) => join(pack, name));
    const result = await faultline(['run', ...files], cwd);
    expect(result.code, result.stderr).toBe(0);
    const runDir = readdirSync(join(cwd, 'reports')).find((name) => /^\d{8}-/.test(name))!;
    summary = JSON.parse(readFileSync(join(cwd, 'reports', runDir, 'summary.json'), 'utf8'));
  }, 450_000);

  afterAll(async () => {
    // Every cluster the run started is gone: its directory, its namespaces, its intents.
    if (before) {
      expect(listOwn('faultline-etcd-').filter((name) => !before.dirs.includes(name))).toEqual([]);
      expect((await listNamespaces('fl-etcd-')).filter((name) => !before.namespaces.includes(name))).toEqual([]);
    }
    if (cwd) {
      const ledger = join(cwd, '.faultline', 'ledger');
      expect(existsSync(ledger) ? readdirSync(ledger).filter((name) => name.endsWith('.json')) : []).toEqual([]);
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  const verdicts = () => Object.fromEntries(summary.scenarios.map((scenario) => [scenario.id, scenario.verdict]));

  test('a killed or hung leader is replaced: both recover, losing no acknowledged write', () => {
    expect(verdicts()).toMatchObject({ 'consensus-leader-killed': 'pass', 'consensus-leader-hung': 'pass' });
  });

  test('load on a member’s client port (flood, malformed input, connections, slowloris) and a slow leader are each detected and recovered from', () => {
    for (const id of ['rpc-request-flood', 'rpc-slowloris', 'network-malformed-messages', 'network-connection-exhaustion', 'network-slow-peer']) {
      const scenario = summary.scenarios.find((candidate) => candidate.id === id)!;
      expect([id, scenario.runs[0]!.rollback?.ok]).toEqual([id, true]);
      expect([id, scenario.runs[0]!.dataLoss?.lost]).toEqual([id, 0]);
    }
    // The flood keeps writes through m1 over their 100 ms budget while it lasts: detected, then recovered.
    const flood = summary.scenarios.find((candidate) => candidate.id === 'rpc-request-flood')!;
    const { status, recovered, detected, ttdMs, rtoMs, reason } = flood.runs[0]!;
    expect(flood.verdict, JSON.stringify({ checks: flood.checks, run: { status, recovered, detected, ttdMs, rtoMs, reason } })).toBe('pass');
  });

  test('a full or corrupted member does not come back by itself, and says so', () => {
    expect(verdicts()).toMatchObject({ 'database-disk-full': 'known-gap', 'database-corrupted-member': 'known-gap' });
    for (const id of ['database-disk-full', 'database-corrupted-member']) {
      const run = summary.scenarios.find((candidate) => candidate.id === id)!.runs[0]!;
      expect(run.recovered).toBe(false);
      expect(run.rollback?.ok).toBe(true);
      expect(run.dataLoss?.lost).toBe(0);
    }
  });

  test('clock skew of etcd is refused, with the reason, by validate and by --dry-run', async () => {
    expect(isGoBinary('/usr/bin/etcd')).toBe(true);
    expect(isGoBinary(process.execPath)).toBe(false);
    const file = join(cwd, 'clock-skew.yaml');
    writeFileSync(file, ['id: etcd-clock-skew', 'title: clock skew', 'target: etcd', 'steadyState:', '  - probe: etcd.leader', 'fault:', '  type: clock.skew', '  process: m1', '  offsetMs: 30000', ''].join('\n'));
    const validate = await faultline(['validate', file], cwd);
    expect(validate.code).toBe(2);
    expect(validate.stdout + validate.stderr).toMatch(/fault clock\.skew is refused by target etcd.*Go program.*libfaketime/s);
    const plan = await faultline(['run', file, '--dry-run'], cwd);
    expect(plan.code).not.toBe(0);
    expect(plan.stdout + plan.stderr).toMatch(/Go program/);
  }, 60_000);
});
