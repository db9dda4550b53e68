// The ledger survives what a crash or a stray file does to it: an unreadable file is quarantined and
// the other intents are still recovered; a state directory whose maker died before writing its intent
// is removed by recover; an intent is never seen half-written.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Ledger, type Intent, type QuarantinedFile } from '../../src/run/ledger.js';
import { recoverIntents } from '../../src/run/recover.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { waitForExit } from '../helpers/crash-harness.js';

const dist = join(import.meta.dirname, '..', '..', 'dist', 'run', 'ledger.js');
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-ledger-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

// An intent recover can close without touching anything: a target faultline did not start.
function externalTargetIntent(id: string): Intent {
  return { id, kind: 'target', createdAt: new Date().toISOString(), pid: 999_999_999, runId: 'old', target: { driver: 'external', file: join(work, `${id}.yaml`) } };
}

// Runs `body` (ESM, with `m` = the built ledger module and `ledger` one on `stateDir`) in a child that prints "ready" and then waits.
function runInChild(stateDir: string, body: string) {
  const script = `import(${JSON.stringify(dist)}).then((m) => { const ledger = new m.Ledger(${JSON.stringify(stateDir)}); ${body}; process.stdout.write('ready\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve());
    child.once('exit', (code) => reject(new Error(`the child exited (${code}) early`)));
  });
  return { child, ready };
}

describe('an unreadable ledger file', () => {
  test('recover quarantines it with a clear message and recovers the other intents', async () => {
    const ledger = new Ledger(join(work, 'state'));
    ledger.open(externalTargetIntent('good-one'));
    writeFileSync(join(ledger.dir, 'torn.json'), '{"id": "torn", "kind": "fau');
    writeFileSync(join(ledger.dir, 'stranger.json'), '{"hello": "world"}\n');
    ledger.open(externalTargetIntent('good-two'));

    const report = await recoverIntents(ledger);
    expect(report.recovered).toBe(2);
    expect(report.failed).toBe(2); // the two quarantined files: a human must look at them (exit 4)
    const text = report.lines.join('\n');
    expect(text).toMatch(/⚠ ledger file .*torn\.json is not a faultline intent \(not valid JSON: .*\); moved to .*quarantine.*torn\.json — check by hand/);
    expect(text).toMatch(/⚠ ledger file .*stranger\.json is not a faultline intent \(missing or mistyped fields/);
    expect(readdirSync(ledger.dir)).toEqual([]);
    expect(readdirSync(ledger.quarantineDir).sort()).toEqual([expect.stringMatching(/stranger\.json$/), expect.stringMatching(/torn\.json$/)]);
    expect((await recoverIntents(ledger)).lines).toEqual(['nothing to recover: the ledger has no open intents']);
  });

  test('a run quarantines it, says so, and goes on (no SyntaxError)', async () => {
    const seen: QuarantinedFile[] = [];
    const ledger = new Ledger(join(work, 'state'), { onQuarantine: (file) => seen.push(file) });
    mkdirSync(ledger.dir, { recursive: true });
    writeFileSync(join(ledger.dir, 'garbage.json'), '\u0000\u0001 not json');
    const scenario = join(work, 'scenario.yaml');
    // A target file gone after loading (loading checks it as validate does): the run gets past the ledger and stops at the target.
    writeFileSync(scenario, 'id: after-garbage\ntitle: after garbage\ntarget: ./missing-target.yaml\nsteadyState:\n  - { probe: tmux.session, session: x }\nfault: { type: tmux.kill-session, session: x }\n');
    writeFileSync(join(work, 'missing-target.yaml'), `name: gone\nhome: ${work}\nroots: [${work}]\ntmux: { socketName: faultline-ledger-test-never-started }\n`);
    const scenarios = await loadScenarios([scenario]);
    rmSync(join(work, 'missing-target.yaml'));
    const error = await runScenarios(scenarios, { heal: false, gate: false, reportsDir: join(work, 'reports'), ledger }).catch((failure: unknown) => failure);
    expect(error).not.toBeInstanceOf(SyntaxError);
    expect(String(error)).toMatch(/missing-target\.yaml/);
    expect(seen.map((file) => file.file)).toEqual([join(ledger.dir, 'garbage.json')]);
    expect(existsSync(seen[0]!.movedTo)).toBe(true);
  });
});

describe('a fault state directory without its intent', () => {
  test('is removed by recover once its maker is dead (kill -9 between creating it and writing the intent), and kept while it lives', async () => {
    const stateDir = join(work, 'state');
    const ledger = new Ledger(stateDir);
    const { child, ready } = runInChild(stateDir, "ledger.createStateDir('crashed-fault')");
    await ready;
    const live = ledger.createStateDir('live-fault'); // ours: this process is alive and may still write its intent
    const orphan = join(ledger.dir, 'crashed-fault.d');
    expect(existsSync(orphan)).toBe(true);

    // While its maker lives, recover leaves it alone.
    expect((await recoverIntents(ledger)).lines.join('\n')).not.toContain(orphan);
    expect(existsSync(orphan)).toBe(true);

    child.kill('SIGKILL');
    await waitForExit(child);
    const report = await recoverIntents(ledger);
    expect(report.lines).toContain(`✓ removed ${orphan}: left by a process killed before its intent was written`);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });

  test('temp files and unnamed state dirs of a dead writer go too', async () => {
    const ledger = new Ledger(join(work, 'state'));
    ledger.open(externalTargetIntent('kept'));
    const deadPid = 999_999_999;
    writeFileSync(join(ledger.dir, `x.json.${deadPid}.tmp`), '{"id":');
    ledger.createStateDir('y');
    rmSync(join(ledger.dir, 'y.d'), { recursive: true });
    writeFileSync(join(ledger.dir, `z.d.${deadPid}.tmp`), '');
    ledger.removeOrphans();
    expect(readdirSync(ledger.dir)).toEqual(['kept.json']);
  });
});

describe('intents of the previous release', () => {
  test('name their driver `kind` and are still read and recovered, not quarantined', async () => {
    const ledger = new Ledger(join(work, 'state'));
    mkdirSync(ledger.dir, { recursive: true });
    const old = { ...externalTargetIntent('old-external'), target: { kind: 'external', file: join(work, 'old.yaml') } };
    writeFileSync(join(ledger.dir, 'old-external.json'), JSON.stringify(old));
    const oldReference = { ...externalTargetIntent('old-reference'), kind: 'fault', target: { kind: 'reference', dir: join(work, 'instance') } };
    writeFileSync(join(ledger.dir, 'old-reference.json'), JSON.stringify(oldReference));
    const read = ledger.readIntents();
    expect(read.quarantined).toEqual([]);
    expect(read.intents.map((intent) => [intent.id, intent.target]).sort()).toEqual([
      ['old-external', { driver: 'external', file: join(work, 'old.yaml') }],
      ['old-reference', { driver: 'reference', dir: join(work, 'instance') }],
    ]);
    rmSync(join(ledger.dir, 'old-reference.json'));
    const report = await recoverIntents(ledger);
    expect(report.failed).toBe(0);
    expect(existsSync(join(ledger.dir, 'old-external.json'))).toBe(false);
  });
});

describe('the state directory of a quarantined intent', () => {
  test('is never removed as an orphan: it holds the only backup of what the intent changed', () => {
    const ledger = new Ledger(join(work, 'state'));
    const stateDir = join(ledger.dir, 'changed-config.d');
    mkdirSync(stateDir, { recursive: true });
    // Its maker is dead (a pid that cannot exist), so only the quarantine keeps it.
    writeFileSync(join(stateDir, '.faultline-owner.json'), JSON.stringify({ pid: 999_999_999, pidStart: 1 }));
    writeFileSync(join(stateDir, 'original'), 'the only copy of the target config\n');
    writeFileSync(join(ledger.dir, 'changed-config.json'), '{"id": "changed-config", "kind": "fault", "torn');
    expect(ledger.readIntents().quarantined).toHaveLength(1);
    expect(ledger.removeOrphans()).toEqual([]);
    expect(readFileSync(join(stateDir, 'original'), 'utf8')).toBe('the only copy of the target config\n');
    // Without a quarantined intent the same directory is an orphan.
    rmSync(ledger.quarantineDir, { recursive: true });
    expect(ledger.removeOrphans()).toEqual([stateDir]);
  });
});

describe('atomic intents', () => {
  test('a writer killed -9 at any moment never leaves a torn intent', async () => {
    const stateDir = join(work, 'state');
    const ledger = new Ledger(stateDir);
    const size = 256 * 1024;
    for (let round = 0; round < 6; round++) {
      const body = `let i = 0; setInterval(() => { for (let k = 0; k < 20; k++) ledger.open({ id: 'w' + (i++ % 3), kind: 'fault', createdAt: new Date().toISOString(), pid: process.pid, runId: 'r', target: { driver: 'external', file: '/none' }, state: { pad: 'x'.repeat(${size}) } }); }, 1)`;
      const { child, ready } = runInChild(stateDir, body);
      await ready;
      await new Promise((resolve) => setTimeout(resolve, 20 + round * 15));
      child.kill('SIGKILL');
      await waitForExit(child);
      const read = ledger.readIntents();
      expect(read.quarantined).toEqual([]);
      for (const intent of read.intents) expect(String((intent.state as { pad: string }).pad).length).toBe(size);
    }
    expect(readFileSync(join(ledger.dir, 'w0.json'), 'utf8')).toContain('"runId": "r"');
  }, 60_000);
});
