// The web stack through the CLI: `target up|status|down webstack`, and `faultline recover` after the
// runner is killed with SIGKILL (mid-run with the fault in effect, and mid-start): nothing is left —
// no process of the stack, no mount under its dir, no dir, no open intent.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listProcessesUsing, readJournalTypes, waitForExit } from '../helpers/crash-harness.js';
import { assertNothingLeft, waitFor } from '../helpers/webstack.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
let cwd: string;
let env: NodeJS.ProcessEnv;

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'faultline-webstack-cli-'));
  chmodSync(cwd, 0o711);
  env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(cwd, 'state') };
});

afterAll(() => {
  rmSync(cwd, { recursive: true, force: true });
});

async function faultline(args: string[], timeoutMs = 90_000) {
  const result = await execa(process.execPath, [bin, ...args], { cwd, env, reject: false, timeout: timeoutMs, stdin: 'ignore' });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

// The stack dirs open intents name (the ledger is where recover finds them).
function listIntentDirs(): string[] {
  const ledger = join(cwd, 'state', 'ledger');
  if (!existsSync(ledger)) return [];
  return readdirSync(ledger).filter((name) => name.endsWith('.json')).flatMap((name) => {
    const match = /"dir":\s*"([^"]*faultline-web-[^"]*)"/.exec(readFileSync(join(ledger, name), 'utf8'));
    return match ? [match[1]!] : [];
  });
}

function readUid(dir: string): number {
  return (JSON.parse(readFileSync(join(dir, 'webstack.json'), 'utf8')) as { runAs: { uid: number } }).runAs.uid;
}

function expectGone(dir: string, uid: number): void {
  expect(listProcessesUsing(dir)).toEqual([]);
  assertNothingLeft(dir, uid);
  expect(listIntentDirs()).toEqual([]);
}

describe('web stack lifecycle through the CLI', () => {
  test('target up webstack --guardrails off, status, down: healthy while up, nothing left after', async () => {
    const up = await faultline(['target', 'up', 'webstack', '--guardrails', 'off', '--json']);
    expect(up.exitCode, up.stderr).toBe(0);
    const started = JSON.parse(up.stdout) as { dir: string; guardrails: boolean; healthy: boolean; services: Array<{ name: string }> };
    expect(started).toMatchObject({ guardrails: false, healthy: true });
    expect(started.services.map((service) => service.name)).toEqual(['api', 'postgres', 'redis']);
    const uid = readUid(started.dir);
    const status = await faultline(['target', 'status', 'webstack']);
    expect(status.stdout).toContain(`web stack in ${started.dir}: running, healthy (guardrails off)`);
    expect((await faultline(['target', 'up', 'webstack'])).stderr).toContain('already running');
    const down = await faultline(['target', 'down', 'webstack']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(down.stdout).toContain(`web stack in ${started.dir} stopped`);
    expectGone(started.dir, uid);
    expect(existsSync(join(cwd, '.faultline', 'webstack'))).toBe(false);
  });

  test('the runner killed (SIGKILL) with its fault in effect: the stack keeps running; `faultline recover` stops it and removes its dir', async () => {
    const scenario = join(cwd, 'api-down.yaml');
    writeFileSync(scenario, [
      'id: webstack-api-down-long',
      'title: API killed with guardrails off (stays down)',
      'target: webstack',
      'steadyState:',
      '  - { probe: http, service: api, path: /health }',
      'fault: { type: process.kill, process: api, signal: SIGKILL }',
      'timeoutMs: 60000',
      '',
    ].join('\n'));
    const reports = join(cwd, 'reports');
    const child = spawn(process.execPath, [bin, 'run', scenario, '--guardrails', 'off', '--reports', reports, '--quiet'], { cwd, env, stdio: 'ignore' });
    await waitFor(() => readJournalTypes(reports).includes('fault.inject'), 60_000, 'the fault in effect');
    const [dir] = listIntentDirs();
    expect(dir).toBeDefined();
    const uid = readUid(dir!);
    child.kill('SIGKILL');
    await waitForExit(child);
    expect(listProcessesUsing(dir!).length).toBeGreaterThan(0);
    const recover = await faultline(['recover']);
    expect(recover.exitCode, `${recover.stdout}${recover.stderr}`).toBe(0);
    expect(`${recover.stdout}${recover.stderr}`).toContain(`stopped the web stack in ${dir}`);
    expectGone(dir!, uid);
  });

  test('`target up webstack` killed (SIGKILL) while PostgreSQL starts: `faultline recover` leaves nothing', async () => {
    const child = spawn(process.execPath, [bin, 'target', 'up', 'webstack'], { cwd, env, stdio: 'ignore' });
    let dir: string | undefined;
    await waitFor(() => {
      dir = listIntentDirs()[0];
      return dir !== undefined && existsSync(join(dir, 'run', 'supervisor.pid'));
    }, 60_000, 'the supervisor started');
    const uid = readUid(dir!);
    child.kill('SIGKILL');
    await waitForExit(child);
    const recover = await faultline(['recover']);
    expect(recover.exitCode, `${recover.stdout}${recover.stderr}`).toBe(0);
    expectGone(dir!, uid);
    expect(existsSync(join(cwd, '.faultline', 'webstack'))).toBe(false);
  });
});
