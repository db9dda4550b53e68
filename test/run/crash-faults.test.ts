// Crash safety of every stateful fault: the runner is SIGKILLed while the fault is in effect, then
// `faultline recover` restores everything from the ledger, byte for byte.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { sha256File as sha256 } from '../targets/reference/helpers.js';
import { createCrashWorkspace, waitForExit, type CrashWorkspace } from '../helpers/crash-harness.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const modeOf = (path: string) => statSync(path).mode & 0o7777;
const stateOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};

let workspace: CrashWorkspace;
let dir: string;
const path = (...parts: string[]) => join(dir, ...parts);
// The probe fails while the fault is in effect and nothing repairs it (healer off): the run keeps the
// fault in effect until it is killed, instead of declaring recovery and rolling back first.
const scenario = (id: string, fault: string, probe: string) => `
id: ${id}
title: ${id}
steadyState:
  - ${probe}
fault:
${fault}
runs: 1
timeoutMs: 60000
stabilizeMs: 1000
steadyStateWaitMs: 30000
`;
const configParses = '{ probe: file.parses, path: config/orchestrator.conf, format: shell }';
const absent = (path: string) => `{ probe: command, run: [test, '!', -e, ${path}] }`;

beforeAll(async () => {
  workspace = await createCrashWorkspace({ heal: false });
  dir = workspace.target.dir;
});
afterAll(async () => {
  await workspace?.dispose();
});
afterEach(() => {
  // One run per test in the reports dir, so the harness watches the right journal.
  rmSync(workspace.reportsDir, { recursive: true, force: true });
});

/** Runs the scenario until the fault is in effect, SIGKILLs the runner, and returns once it is gone. */
async function crashWhileInEffect(id: string, fault: string, probe: string): Promise<void> {
  const child = await workspace.startRunUntilInjected(workspace.writeScenario(`${id}.yaml`, scenario(id, fault, probe)));
  child.kill('SIGKILL');
  await waitForExit(child);
}

/** `faultline recover` restores everything (exit 0, a ✓ line for the fault) and closes the intent: the ledger is empty. */
async function recover(type: string): Promise<string> {
  const result = await workspace.faultline(['recover']);
  expect(result.exitCode, result.stdout + result.stderr).toBe(0);
  expect(result.stdout).toContain(`✓ ${type}`);
  expect(readdirSync(join(workspace.stateDir, 'ledger'))).toEqual([]); // intents and their backups are gone
  return result.stdout;
}

describe('after kill -9 of the runner, `faultline recover` undoes', () => {
  test('config.delete: the config is back, byte for byte, with its mode', async () => {
    const before = { sha: sha256(path('config', 'orchestrator.conf')), mode: modeOf(path('config', 'orchestrator.conf')) };
    await crashWhileInEffect('crash-config-delete', '  type: config.delete\n  path: config/orchestrator.conf', configParses);
    expect(existsSync(path('config', 'orchestrator.conf'))).toBe(false);
    await recover('config.delete');
    expect(sha256(path('config', 'orchestrator.conf'))).toBe(before.sha);
    expect(modeOf(path('config', 'orchestrator.conf'))).toBe(before.mode);
  });

  test('file.chmod: the saved mode is restored', async () => {
    const before = modeOf(path('config', 'orchestrator.conf'));
    await crashWhileInEffect('crash-chmod', '  type: file.chmod\n  path: config/orchestrator.conf\n  mode: "000"', "{ probe: command, run: [stat, -c, '%a', config/orchestrator.conf], stdoutMatches: '^[1-7]' }");
    expect(modeOf(path('config', 'orchestrator.conf'))).toBe(0);
    await recover('file.chmod');
    expect(modeOf(path('config', 'orchestrator.conf'))).toBe(before);
  });

  test('binary.shadow: the shadow tmux is removed and nothing else in bin/', async () => {
    const before = readdirSync(path('bin'));
    await crashWhileInEffect('crash-shadow', '  type: binary.shadow\n  binary: tmux', absent('bin/tmux'));
    expect(existsSync(path('bin', 'tmux'))).toBe(true);
    await recover('binary.shadow');
    expect(existsSync(path('bin', 'tmux'))).toBe(false);
    expect(readdirSync(path('bin'))).toEqual(before);
  });

  test('process.stop: the hung scheduler is continued (state no longer T)', async () => {
    const scheduler = Number.parseInt(readFileSync(path('run', 'scheduler.pid'), 'utf8'), 10);
    await crashWhileInEffect('crash-stop', '  type: process.stop\n  pidfile: run/scheduler.pid\n  durationMs: 600000', `{ probe: command, run: [sh, -c, '! grep -q "^State:[[:space:]]*T" /proc/${scheduler}/status'] }`);
    expect(stateOf(scheduler)).toBe('T');
    await recover('process.stop');
    expect(stateOf(scheduler)).not.toBe('T');
  });

  test('composite: every step, in reverse order', async () => {
    const before = { config: sha256(path('config', 'orchestrator.conf')), registry: modeOf(path('registry', 'sessions.json')) };
    const scheduler = Number.parseInt(readFileSync(path('run', 'scheduler.pid'), 'utf8'), 10);
    await crashWhileInEffect('crash-composite', `  type: composite
  steps:
    - fault: { type: config.corrupt, path: config/orchestrator.conf, mode: syntax }
    - fault: { type: file.chmod, path: registry/sessions.json, mode: "000" }
      delayMs: 50
    - fault: { type: binary.shadow, binary: python3 }
      delayMs: 50
    - fault: { type: process.stop, pidfile: run/scheduler.pid, durationMs: 600000 }
      delayMs: 50`, configParses);
    expect(sha256(path('config', 'orchestrator.conf'))).not.toBe(before.config);
    expect(modeOf(path('registry', 'sessions.json'))).toBe(0);
    expect(existsSync(path('bin', 'python3'))).toBe(true);
    expect(stateOf(scheduler)).toBe('T');

    const output = await recover('composite');
    expect(output).toMatch(/step 4 process\.stop: .*; step 3 binary\.shadow: .*; step 2 file\.chmod: .*; step 1 config\.corrupt: /);
    expect(sha256(path('config', 'orchestrator.conf'))).toBe(before.config);
    expect(modeOf(path('registry', 'sessions.json'))).toBe(before.registry);
    expect(existsSync(path('bin', 'python3'))).toBe(false);
    expect(stateOf(scheduler)).not.toBe('T');
  });

  test('composite killed between steps: the steps that started, and only those', async () => {
    const before = { config: sha256(path('config', 'orchestrator.conf')), registry: modeOf(path('registry', 'sessions.json')) };
    const file = workspace.writeScenario('crash-partial.yaml', scenario('crash-partial', `  type: composite
  steps:
    - fault: { type: config.corrupt, path: config/orchestrator.conf, mode: syntax }
    - fault: { type: file.chmod, path: registry/sessions.json, mode: "000" }
      delayMs: 50000`, configParses));
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: workspace.stateDir };
    const child = spawn(process.execPath, [bin, 'run', file, '--target-dir', dir, '--reports', workspace.reportsDir, '--quiet'], { cwd: workspace.dir, env, stdio: 'ignore' });
    const deadline = performance.now() + 20_000;
    while (sha256(path('config', 'orchestrator.conf')) === before.config && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    child.kill('SIGKILL');
    await waitForExit(child);
    expect(sha256(path('config', 'orchestrator.conf'))).not.toBe(before.config);

    const output = await recover('composite');
    expect(output).toMatch(/step 1 config\.corrupt: .*; step 2–2 never started|step 1 config\.corrupt: .*; steps 2–2 never started/);
    expect(sha256(path('config', 'orchestrator.conf'))).toBe(before.config);
    expect(modeOf(path('registry', 'sessions.json'))).toBe(before.registry);
  });
});
