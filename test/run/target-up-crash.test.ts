// kill -9 of `faultline target up` while it is starting: its ledger intent is on disk before the
// first step, so `faultline recover` stops whatever the start got to and removes what faultline
// created; `.faultline/target` never keeps naming an instance recover removed.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { stopReference } from '../../src/targets/reference/index.js';
import { findUidLocks } from '../../src/targets/reference/uid-lock.js';
import { listUidProcesses } from '../../src/util/proc-usage.js';
import { listProcessesUsing, waitForExit } from '../helpers/crash-harness.js';
import { isAnythingMountedUnder } from '../targets/reference/helpers.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const isRoot = process.getuid?.() === 0;

/** Points in start, each seen from outside; `target up` is killed as soon as its point shows. */
const milestones: Array<{ name: string; rootOnly?: boolean; reached: (dir: string) => boolean }> = [
  { name: 'the intent is on disk (nothing created yet)', reached: () => true },
  { name: 'target.json is written', reached: (dir) => existsSync(join(dir, 'target.json')) },
  { name: 'the data tmpfs is mounted', rootOnly: true, reached: (dir) => isAnythingMountedUnder(dir) },
  { name: 'the tmux server is up', reached: (dir) => existsSync(join(dir, 'tmux.sock')) },
  { name: 'the scheduler is started, not yet steady', reached: (dir) => existsSync(join(dir, 'run', 'scheduler.pid')) },
];

let work: string;
let child: ChildProcess | undefined;
let instanceDir: string | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-up-crash-'));
});
afterEach(async () => {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  if (instanceDir) await stopReference(instanceDir, { ownsDir: !instanceDir.startsWith(work) }).catch(() => undefined);
  // A start that finished unrecorded (no intent to find it by) is still named by the record.
  const recorded = existsSync(record()) ? readFileSync(record(), 'utf8').trim() : '';
  if (recorded && recorded !== instanceDir && existsSync(join(recorded, 'target.json'))) await stopReference(recorded).catch(() => undefined);
  rmSync(work, { recursive: true, force: true });
  child = undefined;
  instanceDir = undefined;
});

const env = () => ({ ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') });
const record = () => join(work, '.faultline', 'target');

function readIntentDir(): string | undefined {
  const ledger = join(work, 'state', 'ledger');
  const name = existsSync(ledger) ? readdirSync(ledger).find((entry) => /^target-up-.*-target\.json$/.test(entry)) : undefined;
  if (!name) return undefined;
  try {
    return (JSON.parse(readFileSync(join(ledger, name), 'utf8')) as { target: { dir: string } }).target.dir;
  } catch {
    return undefined;
  }
}


// Starts `target up`, kills it -9 once the milestone shows, and returns the instance dir.
async function killUpAt(milestone: (typeof milestones)[number], extraArgs: string[] = []): Promise<string> {
  const up = spawn(process.execPath, [bin, 'target', 'up', '--heal', 'off', ...extraArgs], { cwd: work, env: env(), stdio: ['ignore', 'pipe', 'pipe'] });
  child = up;
  let output = '';
  up.stdout?.on('data', (chunk) => (output += String(chunk)));
  up.stderr?.on('data', (chunk) => (output += String(chunk)));
  const deadline = performance.now() + 30_000;
  let dir: string | undefined;
  while (!(dir && milestone.reached(dir))) {
    if (up.exitCode !== null) throw new Error(`target up ended (${up.exitCode}) before ${milestone.name}:\n${output}`);
    if (performance.now() > deadline) throw new Error(`not reached within 30 s: ${milestone.name}\n${output}`);
    dir ??= readIntentDir();
    if (dir) instanceDir = dir;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  up.kill('SIGKILL');
  await waitForExit(up);
  return dir;
}

async function recoverAndCheck(dir: string): Promise<void> {
  const uids = findUidLocks([dir]).map((lock) => lock.uid);
  const recovered = await execa(process.execPath, [bin, 'recover'], { cwd: work, env: env(), reject: false, timeout: 60_000 });
  expect(recovered.exitCode, `${recovered.stdout}\n${recovered.stderr}`).toBe(0);
  expect(recovered.stdout).toMatch(/✓ target of target up: stopped the reference orchestrator in /);
  expect(isAnythingMountedUnder(dir)).toBe(false);
  for (const uid of uids) expect(listUidProcesses(uid)).toEqual([]);
  expect(findUidLocks([dir])).toEqual([]);
  expect(listProcessesUsing(dir)).toEqual([]);
  expect((await execa(process.execPath, [bin, 'recover'], { cwd: work, env: env(), reject: false })).stdout).toMatch(/nothing to recover/);
}

describe('kill -9 of `faultline target up` while it starts', () => {
  for (const milestone of milestones) {
    test.skipIf(milestone.rootOnly && !isRoot)(`killed once ${milestone.name}: recover cleans up and .faultline/target names nothing it removed`, { timeout: 90_000 }, async () => {
      // An earlier `target up` recorded another instance here.
      const previous = join(work, 'previous-instance');
      mkdirSync(join(work, '.faultline'), { recursive: true });
      writeFileSync(record(), `${previous}\n`);

      const dir = await killUpAt(milestone);
      // From the first thing start creates on, the record names the instance being started (so `target down` finds it).
      if (existsSync(join(dir, 'target.json'))) expect(readFileSync(record(), 'utf8').trim()).toBe(dir);

      await recoverAndCheck(dir);
      expect(existsSync(dir)).toBe(false);
      const left = existsSync(record()) ? readFileSync(record(), 'utf8').trim() : undefined;
      expect(left === undefined || left === previous, `record: ${left}`).toBe(true);
    });
  }

  test('with --dir: recover stops what started and keeps the directory the user gave', { timeout: 90_000 }, async () => {
    const given = join(work, 'mine');
    const dir = await killUpAt(milestones[3]!, ['--dir', given]);
    expect(dir).toBe(given);
    await recoverAndCheck(dir);
    expect(existsSync(given)).toBe(true);
    expect(existsSync(record())).toBe(false);
  });
});
