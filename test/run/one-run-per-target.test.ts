// One run per target: a second run on a target a live run holds is refused (exit 2, naming the holder)
// before it touches anything, and `recover` — even with --force — leaves a live run's intents and
// instance alone (that run rolls back by itself); a live run's intents do not block a run elsewhere.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { stopReference } from '../../src/targets/reference/index.js';
import { sha256File as sha256 } from '../targets/reference/helpers.js';
import { createCrashWorkspace, readJournalTypes, waitForExit, type CrashWorkspace } from '../helpers/crash-harness.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
// Stays in effect until interrupted: the healer is off and the probe fails while the config is broken.
const scenario = (id: string, fault: string) => `
id: ${id}
title: ${id}
steadyState:
  - { probe: file.parses, path: config/orchestrator.conf, format: shell }
fault: ${fault}
runs: 1
timeoutMs: 60000
stabilizeMs: 500
`;
const corrupt = '{ type: config.corrupt, path: config/orchestrator.conf, mode: random-bytes, seed: 7, bytes: 64 }';
const remove = '{ type: config.delete, path: config/orchestrator.conf }';

let workspace: CrashWorkspace;
const started: ChildProcess[] = [];
beforeAll(async () => {
  workspace = await createCrashWorkspace({ heal: false });
});
afterAll(async () => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await workspace?.dispose();
});

const ledgerFiles = () => (existsSync(join(workspace.stateDir, 'ledger')) ? readdirSync(join(workspace.stateDir, 'ledger')) : []);

describe('two runs on one --target-dir', () => {
  test('the second is refused with exit 2 naming the first; the first rolls back byte for byte', { timeout: 120_000 }, async () => {
    const config = join(workspace.target.dir, 'config', 'orchestrator.conf');
    const before = sha256(config);
    const first = await workspace.startRunUntilInjected(workspace.writeScenario('corrupt.yaml', scenario('first-corrupts', corrupt)));
    started.push(first);
    const corrupted = sha256(config);
    expect(corrupted).not.toBe(before);

    const second = await workspace.faultline(['run', workspace.writeScenario('delete.yaml', scenario('second-deletes', remove)), '--target-dir', workspace.target.dir, '--reports', join(workspace.dir, 'reports-2'), '--quiet']);
    expect(second.exitCode, second.stderr).toBe(2);
    expect(second.stderr).toContain(`is in use by another faultline process: pid ${first.pid}`);
    expect(second.stderr).toMatch(/one run per target/);
    expect(sha256(config)).toBe(corrupted); // the second changed nothing
    expect(existsSync(join(workspace.dir, 'reports-2'))).toBe(false);

    // recover --force while the first is live: its intent and its fault are left to it.
    const forced = await workspace.faultline(['recover', '--force']);
    expect(forced.exitCode, forced.stdout + forced.stderr).toBe(0);
    expect(forced.stdout).toMatch(/left to the live run that holds its target \(another faultline process: pid \d+/);
    expect(sha256(config)).toBe(corrupted);
    expect(ledgerFiles().filter((name) => name.endsWith('.json'))).toHaveLength(1);

    first.kill('SIGINT');
    expect((await waitForExit(first)).code).toBe(3);
    expect(sha256(config)).toBe(before);
    expect((await workspace.faultline(['recover'])).stdout).toMatch(/nothing to recover/);
  });
});

describe('recover --force during a live run on an instance the run started', () => {
  test('leaves the instance and its intents to the run, which then rolls back and stops it', { timeout: 120_000 }, async () => {
    const reports = join(workspace.dir, 'reports-managed');
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: workspace.stateDir };
    const run = spawn(process.execPath, [bin, 'run', workspace.writeScenario('managed.yaml', scenario('managed-corrupt', corrupt)), '--heal', 'off', '--reports', reports, '--quiet'], { cwd: workspace.dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(run);
    let output = '';
    run.stdout?.on('data', (chunk) => (output += String(chunk)));
    run.stderr?.on('data', (chunk) => (output += String(chunk)));
    const deadline = performance.now() + 60_000;
    while (!readJournalTypes(reports).includes('fault.inject')) {
      if (run.exitCode !== null) throw new Error(`the run ended (${run.exitCode}) before its fault was in effect:\n${output}`);
      if (performance.now() > deadline) throw new Error(`no fault in effect within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const targetIntent = ledgerFiles().find((name) => name.endsWith('-target.json'))!;
    const instance = (JSON.parse(readFileSync(join(workspace.stateDir, 'ledger', targetIntent), 'utf8')) as { target: { dir: string } }).target.dir;
    try {
      const forced = await workspace.faultline(['recover', '--force']);
      expect(forced.exitCode, forced.stdout + forced.stderr).toBe(0);
      expect(forced.stdout.split('\n').filter((line) => line.includes('left to the live run'))).toHaveLength(2); // its fault and its target
      expect(existsSync(join(instance, 'target.json'))).toBe(true);
      expect(ledgerFiles().filter((name) => name.endsWith('.json'))).toHaveLength(2);

      // A live run's intents are not "from an earlier run": a run on another target is not blocked by them.
      // (An external target with nothing running: the run starts, finds no steady state and aborts, exit 3.)
      mkdirSync(join(workspace.dir, 'elsewhere'));
      workspace.writeScenario('elsewhere-target.yaml', `name: elsewhere\ntmux: { socketPath: ${join(workspace.dir, 'elsewhere', 'tmux.sock')} }\nhome: ${join(workspace.dir, 'elsewhere')}\nroots: [${join(workspace.dir, 'elsewhere')}]\n`);
      const reportsElsewhere = join(workspace.dir, 'reports-3');
      const elsewhere = await workspace.faultline(['run', workspace.writeScenario('elsewhere.yaml', `${scenario('elsewhere', remove)}steadyStateWaitMs: 200\ntarget: ./elsewhere-target.yaml\n`), '--reports', reportsElsewhere, '--quiet']);
      expect(elsewhere.stderr).not.toMatch(/never rolled back/);
      expect(elsewhere.exitCode, elsewhere.stdout + elsewhere.stderr).toBe(3);
      expect(readJournalTypes(reportsElsewhere)).toContain('steady-state');

      run.kill('SIGINT');
      const exit = await waitForExit(run);
      expect(exit.code, output).toBe(3);
      expect(existsSync(instance)).toBe(false);
      expect(ledgerFiles()).toEqual([]);
    } finally {
      await stopReference(instance, { ownsDir: true }).catch(() => undefined);
    }
  });
});
