// A stop that leaves something running says so, keeps the instance (dir, uid lock) and, for a recorded
// instance, its ledger intent, so `faultline recover` finishes the job later. The survivor is real: a
// process of the instance's uid frozen by the cgroup v1 freezer, which SIGKILL cannot end until it is thawed
// (as a process in uninterruptible I/O). The recorded start is also the one path a failed start takes.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, rmdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TargetError } from '../../../src/errors.js';
import { Ledger } from '../../../src/run/ledger.js';
import { recoverIntents } from '../../../src/run/recover.js';
import { createReferenceHandle, startReference, stopReference } from '../../../src/targets/reference/index.js';
import { startRecordedInstance } from '../../../src/targets/drivers/reference-recorded-start.js';
import { findUidLocks } from '../../../src/targets/reference/uid-lock.js';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import { waitFor } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const FREEZER = '/sys/fs/cgroup/freezer';
const canFreeze = isRoot && existsSync(join(FREEZER, 'cgroup.procs'));

let work: string;
let ledger: Ledger;
const cleanups: Array<() => Promise<void> | void> = [];
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-stop-incomplete-'));
  ledger = new Ledger(join(work, 'state'));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  rmSync(work, { recursive: true, force: true });
});

/** A process of `uid` frozen in a cgroup of its own; thaw() lets a pending SIGKILL end it. */
async function freezeProcessOf(uid: number): Promise<{ pid: number; thaw(): Promise<void> }> {
  const group = join(FREEZER, `faultline-test-${process.pid}-${uid}`);
  mkdirSync(group);
  const sleeper: ChildProcess = spawn('sleep', ['60'], { uid, gid: uid, stdio: 'ignore', cwd: '/' });
  const pid = sleeper.pid!;
  const exited = new Promise<void>((resolve) => sleeper.once('exit', () => resolve()));
  let thawed = false;
  const thaw = async () => {
    if (thawed) return;
    thawed = true;
    writeFileSync(join(group, 'freezer.state'), 'THAWED');
    sleeper.kill('SIGKILL');
    await exited;
    rmdirSync(group);
  };
  cleanups.push(thaw);
  await waitFor(`the sleeper to run as uid ${uid}`, () => listUidProcesses(uid).some((entry) => entry.pid === pid));
  writeFileSync(join(group, 'cgroup.procs'), String(pid));
  writeFileSync(join(group, 'freezer.state'), 'FROZEN');
  await waitFor('the cgroup to be frozen', () => readFileSync(join(group, 'freezer.state'), 'utf8').trim() === 'FROZEN');
  return { pid, thaw };
}

describe('a recorded start', () => {
  test('a start that fails is stopped, its intent closed once that stop is complete, and its error passed on', async () => {
    let startedIn: string | undefined;
    const failure = await startRecordedInstance({ ledger, id: 'fail-target', runId: 'fail' }, async (dir) => {
      startedIn = dir;
      expect(ledger.list().map((intent) => intent.target)).toEqual([{ driver: 'reference', dir, ownsDir: true }]);
      mkdirSync(dir);
      throw new Error('boom');
    }).then(
      () => expect.unreachable('the start should fail'),
      (error: Error) => error,
    );
    expect(failure.message).toBe('boom');
    expect(existsSync(startedIn!)).toBe(false);
    expect(ledger.list()).toEqual([]);
  });
});

describe.skipIf(!canFreeze)('a stop that leaves a process running (frozen: SIGKILL cannot end it)', () => {
  test('stop reports it, keeps dir, lock and intent; recover keeps the intent until it is gone, then finishes', { timeout: 60_000 }, async () => {
    const recorded = await startRecordedInstance({ ledger, id: 'frozen-target', runId: 'frozen' }, (dir) => startReference({ heal: false, dir, ownsDir: true }));
    // recorded.stop() also releases the target lock it keeps while something survives.
    cleanups.push(async () => void (await recorded.stop().catch(() => undefined)));
    const uid = recorded.value.state.runAs!.uid;
    const frozen = await freezeProcessOf(uid);

    const report = await recorded.stop();
    expect(report.complete).toBe(false);
    expect(report.left).toEqual([`1 process(es) of uid ${uid} (pids ${frozen.pid})`]);
    expect(report.notes.join('\n')).toMatch(/survived SIGKILL[\s\S]*still running after stop: .*faultline recover/);
    expect(existsSync(recorded.dir)).toBe(true);
    expect(findUidLocks([recorded.dir]).map((lock) => lock.uid)).toEqual([uid]);
    expect(ledger.list().map((intent) => intent.id)).toEqual(['frozen-target']);

    const early = await recoverIntents(ledger);
    expect(early).toMatchObject({ recovered: 0, failed: 1 });
    expect(early.lines.join('\n')).toMatch(/✗ target of frozen: the reference orchestrator in .* is not fully stopped.*\(intent kept: frozen-target\)/);

    await frozen.thaw();
    const late = await recoverIntents(ledger);
    expect(late, late.lines.join('\n')).toMatchObject({ recovered: 1, failed: 0 });
    expect(existsSync(recorded.dir)).toBe(false);
    expect(findUidLocks([recorded.dir])).toEqual([]);
    expect(ledger.list()).toEqual([]);
  });

  test('reset refuses to start a fresh instance next to a survivor, and says to run recover', { timeout: 60_000 }, async () => {
    const handle = await createReferenceHandle({ heal: false });
    const dir = handle.target.home;
    cleanups.push(async () => void (await stopReference(dir).catch(() => undefined)));
    const frozen = await freezeProcessOf((handle.target.describe().runAs as { uid: number }).uid);

    const error = await handle.reset!().catch((failure: Error) => failure);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as TargetError).message).toMatch(new RegExp(`still running after stop: 1 process\\(es\\) of uid \\d+ \\(pids ${frozen.pid}\\)`));
    expect((error as TargetError).hint).toMatch(/faultline recover/);

    await frozen.thaw();
    expect(await handle.close()).toMatchObject({ complete: true, left: [] });
    expect(existsSync(dir)).toBe(false);
  });
});
