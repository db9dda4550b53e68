// Planning starts nothing it does not need: a refusal no live instance could lift is final from the
// placeholder. And SIGTERM while `faultline run` plans on a throwaway instance (a plan refused on the
// placeholder that may read live state): the handlers are installed before planning starts anything,
// so the instance is stopped, its intent closed, and the run exits 3 — no orchestrator is left running.
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { execa } from 'execa';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { stopReference } from '../../src/targets/reference/index.js';
import { listProcessesUsing, waitForExit } from '../helpers/crash-harness.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
// Refused on the placeholder only for want of the instance's data tmpfs (the placeholder's data/ lies on
// the small TMPDIR tmpfs below, held to the host floor), so it is planned again on a throwaway instance.
const liveScenario = `
id: log-growth-in-data
title: log growth in the data area
steadyState:
  - { probe: tmux.session, session: tmux-orc }
fault: { type: disk.log-growth, path: data/grow.log, bytesPerSecond: 1024, maxBytes: 8388608 }
`;
// Outside the roots whatever the instance holds: refused from the placeholder alone, nothing started.
const staticScenario = `
id: temp-files-outside
title: temp files outside the roots
steadyState:
  - { probe: tmux.session, session: tmux-orc }
fault: { type: disk.temp-files, path: /etc, count: 1 }
`;
const isRoot = process.getuid?.() === 0;

let work: string;
let child: ChildProcess | undefined;
let instanceDir: string | undefined;
let smallTmp: string | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-plan-signal-'));
  chmodSync(work, 0o711); // the instance's dedicated uid must reach its dir below
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (instanceDir) await stopReference(instanceDir, { ownsDir: true }).catch(() => undefined);
  if (smallTmp) await execa('umount', [smallTmp], { reject: false });
  smallTmp = undefined;
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


test('a path outside the roots is refused from the placeholder alone: exit 2, no throwaway instance started', { timeout: 60_000 }, async () => {
  writeFileSync(join(work, 'scenario.yaml'), staticScenario);
  const result = await execa(process.execPath, [bin, 'run', 'scenario.yaml', '--reports', 'reports'], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') }, reject: false });
  expect(result.exitCode, result.stderr).toBe(2);
  expect(result.stderr).toMatch(/fault\.path: \/etc is outside the target's roots/);
  // A throwaway instance is recorded in the ledger while it runs: none was.
  expect(existsSync(join(work, 'state'))).toBe(false);
});

test.skipIf(!isRoot)('SIGTERM while a throwaway instance for the plan is up: exit 3, the instance stopped and its intent closed', { timeout: 90_000 }, async () => {
  smallTmp = join(work, 'tmp');
  mkdirSync(smallTmp, { mode: 0o711 });
  await execa('mount', ['-t', 'tmpfs', '-o', 'size=16m,mode=0711', 'tmpfs', smallTmp]);
  writeFileSync(join(work, 'scenario.yaml'), liveScenario);
  const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state'), TMPDIR: smallTmp };
  const run = spawn(process.execPath, [bin, 'run', 'scenario.yaml', '--reports', 'reports'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
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
