// SIGTERM while `faultline run` plans on a throwaway instance (a plan refused on the placeholder that
// may read live state): the handlers are installed before planning starts anything, so the instance
// is stopped, its intent closed, and the run exits 3 — no orchestrator is left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { stopReference } from '../../src/targets/reference/index.js';
import { waitForExit } from '../helpers/crash-harness.js';
import { isAlive } from '../targets/reference/helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
// Refused on the placeholder (outside the roots) by a fault that is not plan-static: planned again on a throwaway instance.
const scenario = `
id: temp-files-outside
title: temp files outside the roots
steadyState:
  - { probe: tmux.session, session: tmux-orc }
fault: { type: disk.temp-files, path: /etc, count: 1 }
`;

let work: string;
let child: ChildProcess | undefined;
let instanceDir: string | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-plan-signal-'));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (instanceDir) await stopReference(instanceDir, { ownsDir: true }).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
  child = undefined;
  instanceDir = undefined;
});

const ledgerDir = () => join(work, 'state', 'ledger');
function readThrowawayDir(): string | undefined {
  const name = existsSync(ledgerDir()) ? readdirSync(ledgerDir()).find((entry) => /^plan-.*-target\.json$/.test(entry)) : undefined;
  if (!name) return undefined;
  try {
    return (JSON.parse(readFileSync(join(ledgerDir(), name), 'utf8')) as { target: { dir: string } }).target.dir;
  } catch {
    return undefined;
  }
}

function listProcessesUsing(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').some((arg) => arg === dir || arg.startsWith(`${dir}/`)) && isAlive(pid);
      } catch {
        return false;
      }
    });
}

test('SIGTERM while a throwaway instance for the plan is up: exit 3, the instance stopped and its intent closed', { timeout: 90_000 }, async () => {
  writeFileSync(join(work, 'scenario.yaml'), scenario);
  const run = spawn(process.execPath, [bin, 'run', 'scenario.yaml', '--reports', 'reports'], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') }, stdio: ['ignore', 'pipe', 'pipe'] });
  child = run;
  let output = '';
  run.stdout?.on('data', (chunk) => (output += String(chunk)));
  run.stderr?.on('data', (chunk) => (output += String(chunk)));
  const deadline = performance.now() + 60_000;
  let dir: string | undefined;
  // Its tmux server is up: an orchestrator is running.
  while (!(dir && existsSync(join(dir, 'tmux.sock')))) {
    if (run.exitCode !== null) throw new Error(`the run ended (${run.exitCode}) before the throwaway instance was up:\n${output}`);
    if (performance.now() > deadline) throw new Error(`no throwaway instance within 60 s:\n${output}`);
    dir ??= readThrowawayDir();
    if (dir) instanceDir = dir;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  run.kill('SIGTERM');
  const exit = await waitForExit(run);
  expect(exit, output).toEqual({ code: 3, signal: null });
  expect(output).toMatch(/interrupted while planning/);
  expect(listProcessesUsing(dir)).toEqual([]);
  expect(existsSync(dir)).toBe(false);
  expect(readdirSync(ledgerDir()).filter((name) => name.endsWith('.json'))).toEqual([]);
  expect(existsSync(join(work, 'reports'))).toBe(false);
});
