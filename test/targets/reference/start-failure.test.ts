// Start failures: the intermittent "scheduler exited during start-up" (a helper caught inside execve
// looked dead), and what a failed start leaves for diagnosis.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { findExecutable } from '../../../src/targets/reference/exec.js';
import { getReferencePaths, startReference } from '../../../src/targets/reference/index.js';
import { isInstanceProcess, spawnDetached } from '../../../src/targets/reference/processes.js';
import { isPidAlive } from '../../../src/util/pid.js';
import { KEPT_FAILED_STARTS, keepStartEvidence, pruneFailedStartCopies } from '../../../src/targets/reference/start-failure.js';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import { waitFor } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const prlimit = findExecutable('prlimit', `${process.env.PATH ?? ''}:/usr/bin:/bin`);
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0)) cleanup();
});

function makeWorkDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

// The copy a failed start names in its message (removed after the test).
function takeKeptCopy(message: string): string {
  const copy = /logs kept in (\S+)/.exec(message)?.[1];
  expect(copy, message).toMatch(/faultline-failed-start-/);
  cleanups.push(() => rmSync(copy!, { recursive: true, force: true }));
  return copy!;
}

describe('start failures', () => {
  test.skipIf(!prlimit)('a helper started through prlimit is recognised as the instance\'s at every moment, also while it execs node', async () => {
    const dir = makeWorkDir('faultline-exec-');
    const script = join(dir, 'idle.js');
    writeFileSync(script, 'setTimeout(() => {}, 2000);\n');
    const self = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0, dedicated: false, processBudget: 4096, prlimit };
    let misses = 0;
    for (let attempt = 0; attempt < 50; attempt++) {
      const pid = spawnDetached(process.execPath, script, [dir], { env: { PATH: process.env.PATH ?? '' }, logFile: join(dir, 'out'), cwd: dir, runAs: self });
      // Checked as fast as we can right after spawn: the window where /proc/<pid>/cmdline reads empty.
      const end = performance.now() + 30;
      while (performance.now() < end) if (isPidAlive(pid) && !(await isInstanceProcess(pid, dir))) misses += 1;
      process.kill(pid, 'SIGKILL');
    }
    expect(misses).toBe(0);
  });

  test('a live process whose command line stays empty is re-read for a while without blocking the event loop', async () => {
    const dir = makeWorkDir('faultline-settle-');
    // perl blanks its own command line ($0 = ""): what a process inside execve looks like, but for good.
    const blank = spawn('perl', ['-e', '$0 = ""; sleep 30', dir], { stdio: 'ignore' });
    cleanups.push(() => blank.kill('SIGKILL'));
    await waitFor('the blank command line', () => existsSync(`/proc/${blank.pid}/cmdline`) && readFileSync(`/proc/${blank.pid}/cmdline`, 'utf8').replace(/\0/g, '') === '');
    let ticks = 0;
    const ticker = setInterval(() => (ticks += 1), 5);
    const started = performance.now();
    try {
      expect(await isInstanceProcess(blank.pid!, dir)).toBe(false);
    } finally {
      clearInterval(ticker);
    }
    // The whole re-read budget was spent, and timers kept firing meanwhile (a blocking wait would starve them).
    expect(performance.now() - started).toBeGreaterThanOrEqual(150);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });

  test('only the newest failed-start copies of this user are kept', () => {
    const dir = makeWorkDir('faultline-prune-');
    const names = Array.from({ length: 8 }, (_, index) => `faultline-failed-start-2026010${index}T000000-x`);
    names.forEach((name, index) => {
      mkdirSync(join(dir, name));
      utimesSync(join(dir, name), 1_700_000_000 + index, 1_700_000_000 + index);
    });
    writeFileSync(join(dir, 'faultline-failed-start-not-a-dir'), '');
    mkdirSync(join(dir, 'unrelated'));
    // The current copy stays even when it is not the newest by time.
    pruneFailedStartCopies(dir, join(dir, names[0]!));
    const left = readdirSync(dir).sort();
    expect(left).toEqual([names[0], ...names.slice(8 - (KEPT_FAILED_STARTS - 1)), 'faultline-failed-start-not-a-dir', 'unrelated'].sort());
  });

  test.skipIf(!isRoot)('the evidence names the end of the helpers\' output and what the uid runs, and keeps a copy of the logs', async () => {
    const dir = makeWorkDir('faultline-evidence-');
    const paths = getReferencePaths(dir);
    mkdirSync(paths.logsDir);
    writeFileSync(join(paths.logsDir, 'scheduler.out'), 'line 1\nError: EAGAIN spawning python3\n');
    writeFileSync(join(paths.logsDir, 'healer.out'), '');
    writeFileSync(paths.state, '{"kind":"reference"}\n');
    const uid = 699_903;
    const sleeper = spawn('sleep', ['30'], { uid, gid: uid, stdio: 'ignore', cwd: '/' });
    cleanups.push(() => sleeper.kill('SIGKILL'));
    await waitFor('the sleeper', () => listUidProcesses(uid).length === 1);

    const text = keepStartEvidence(paths, { uid, gid: uid, dedicated: true }, 'the scheduler exited during start-up');
    expect(text).toMatch(/scheduler\.out: line 1 \| Error: EAGAIN spawning python3/);
    expect(text).toMatch(/healer\.out: \(empty\)/);
    expect(text).toMatch(new RegExp(`uid ${uid} had 1 process\\(es\\) \\(0 zombie, 1 threads\\)`));
    const copy = takeKeptCopy(text);
    expect(readFileSync(join(copy, 'scheduler.out'), 'utf8')).toMatch(/EAGAIN/);
    expect(readFileSync(join(copy, 'target.json'), 'utf8')).toMatch(/reference/);
    expect(readFileSync(join(copy, 'failure.txt'), 'utf8')).toMatch(/exited during start-up[\s\S]*uid 699903/);
  });

  test.skipIf(!isRoot)('a start that fails after the layout exists says so in its error, and the copy outlives the removed temp dir', async () => {
    const uid = 699_904;
    const sleeper = spawn('sleep', ['30'], { uid, gid: uid, stdio: 'ignore', cwd: '/' });
    cleanups.push(() => sleeper.kill('SIGKILL'));
    await waitFor('the sleeper', () => listUidProcesses(uid).length === 1);
    const error = await startReference({ heal: false, runAsUid: uid }).then(
      () => expect.unreachable('the start should fail: the uid is busy'),
      (failure: Error) => failure,
    );
    expect(error.message).toMatch(/runAsUid 699904 already has running processes/);
    expect(error.message).toMatch(/scheduler\.out: \(empty\)/);
    const copy = takeKeptCopy(error.message);
    expect(existsSync(join(copy, 'failure.txt'))).toBe(true);
    const dir = /did not start in (\S+):/.exec(error.message)![1]!;
    expect(existsSync(dir)).toBe(false);
  });
});
