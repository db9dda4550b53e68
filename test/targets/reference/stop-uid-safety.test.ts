// stop kills leftovers by uid only for the reserved uid a root-owned lock gives the instance's dir: a
// target.json rewritten by the instance's own uid cannot turn stop against another instance or account.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { getReferenceStatus, stopReference } from '../../../src/targets/reference/index.js';
import { acquireUidLock, findUidLocks, readUidLock } from '../../../src/targets/reference/uid-lock.js';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import { isAlive, readNumber, startTracked, stopStarted, waitFor } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const sleepers: ChildProcess[] = [];
const dirs: string[] = [];

afterAll(stopStarted);
afterEach(async () => {
  for (const sleeper of sleepers.splice(0)) sleeper.kill('SIGKILL');
  for (const dir of dirs.splice(0)) {
    await stopReference(dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
});

// A process of `uid` standing for someone else's work, which stop must leave alone (or for an orphan it must kill).
async function startSleeper(uid: number): Promise<ChildProcess> {
  const sleeper = spawn('sleep', ['30'], { uid, gid: uid, detached: true, stdio: 'ignore', cwd: '/' });
  sleepers.push(sleeper);
  await waitFor(`a process of uid ${uid}`, () => listUidProcesses(uid).some((entry) => entry.pid === sleeper.pid));
  return sleeper;
}

function tamperRunAs(dir: string, runAs: Record<string, unknown>): void {
  const path = join(dir, 'target.json');
  const state = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  writeFileSync(path, JSON.stringify({ ...state, runAs: { ...(state.runAs as object), ...runAs } }));
}

describe('stop and the uid it sweeps', () => {
  test.skipIf(!isRoot)("a target.json naming another instance's uid: stop kills its own uid's orphans and leaves the other instance running", async () => {
    const [a, b] = await Promise.all([startTracked({ heal: false }), startTracked({ heal: false })]);
    const uidA = a.state.runAs!.uid;
    const uidB = b.state.runAs!.uid;
    expect(uidA).not.toBe(uidB);
    expect(readUidLock(uidA)?.dir).toBe(a.dir);
    const orphan = await startSleeper(uidA);
    tamperRunAs(a.dir, { uid: uidB, gid: uidB, dedicated: true });

    const report = await stopReference(a.dir);
    expect(report.notes.join('\n')).toMatch(new RegExp(`target\\.json names uid ${uidB} .*no root-owned lock assigns that uid`));
    expect(isAlive(orphan.pid!)).toBe(false);
    expect(listUidProcesses(uidA)).toEqual([]);
    expect(findUidLocks([a.dir])).toEqual([]);
    // B is untouched: its server and processes run, its lock is its own.
    expect(isAlive(readNumber(join(b.dir, 'run', 'tmux.pid')))).toBe(true);
    expect((await getReferenceStatus(b.dir)).healthy).toBe(true);
    expect(readUidLock(uidB)?.dir).toBe(b.dir);
  });

  test.skipIf(!isRoot)('a half-made instance whose target.json names root, an account or an unlocked reserved uid: no process of those uids is signalled', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-forged-'));
    dirs.push(dir);
    mkdirSync(join(dir, 'run'));
    const rootOwned = await startSleeper(0);
    const account = await startSleeper(4242);
    const unlocked = await startSleeper(699_902);
    for (const uid of [0, 4242, 699_902]) {
      writeFileSync(join(dir, 'target.json'), JSON.stringify({ kind: 'reference', dir, ownsDir: false, runAs: { uid, gid: uid, dedicated: true } }));
      const report = await stopReference(dir);
      expect(report.notes.join('\n')).toMatch(new RegExp(`names uid ${uid} .*left alone`));
    }
    expect(isAlive(rootOwned.pid!)).toBe(true);
    expect(isAlive(account.pid!)).toBe(true);
    expect(isAlive(unlocked.pid!)).toBe(true);
  });

  test.skipIf(!isRoot)('a lock on a uid outside the reserved range is released, but its processes are not killed by uid', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-outside-'));
    dirs.push(dir);
    const account = await startSleeper(4243);
    expect(acquireUidLock(4243, dir)).toBe(true);
    const report = await stopReference(dir);
    expect(report.notes.join('\n')).toMatch(/uid 4243 is outside the reserved range 600000–699999/);
    expect(isAlive(account.pid!)).toBe(true);
    expect(readUidLock(4243)).toBeUndefined();
  });
});
