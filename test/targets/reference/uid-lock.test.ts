// The per-uid lock: exclusive, taken over only when stale, released only by its holder; and starts
// racing for the very same uid (same hash start) in separate processes never share it.
import { spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TargetError } from '../../../src/errors.js';
import { acquireUidLock, findDeadGuard, findUidLocks, getLockPath, readSeenLock, readUidLock, releaseUidLock, removeIfUnchanged } from '../../../src/targets/reference/uid-lock.js';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import { waitFor } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const root = join(import.meta.dirname, '..', '..', '..');
// A uid in the reserved range that these tests use in their own lock dir only (nothing runs as it).
const UID = 699_901;

let work: string;
let lockDir: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-uid-lock-'));
  lockDir = join(work, 'locks');
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

// A pid that is certainly dead: a process that ran and was reaped.
function getDeadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('uid locks', () => {
  test('one holder at a time; only the holder releases; the lock names the dir and the holder pid', () => {
    const a = join(work, 'a');
    const b = join(work, 'b');
    for (const dir of [a, b]) mkdirSync(dir);
    expect(acquireUidLock(UID, a, lockDir)).toBe(true);
    expect(readUidLock(UID, lockDir)).toMatchObject({ uid: UID, dir: a, pid: process.pid });
    expect(acquireUidLock(UID, b, lockDir)).toBe(false); // its holder (this process) and its dir are there
    expect(releaseUidLock(UID, b, lockDir)).toBe(false);
    expect(findUidLocks([a], lockDir).map((lock) => lock.uid)).toEqual([UID]);
    expect(findUidLocks([b], lockDir)).toEqual([]);
    expect(releaseUidLock(UID, a, lockDir)).toBe(true);
    expect(acquireUidLock(UID, b, lockDir)).toBe(true);
  });

  test('a temp file left by a writer killed mid-write is removed once its pid is gone; a live writer’s stays', () => {
    const dir = join(work, 'a');
    mkdirSync(dir);
    mkdirSync(lockDir, { mode: 0o700 });
    const orphan = join(lockDir, `${UID}.lock.${getDeadPid()}.0badcafe.tmp`);
    const live = join(lockDir, `${UID}.lock.${process.pid}.0badcafe.tmp`);
    for (const file of [orphan, live]) writeFileSync(file, '{}\n');
    expect(acquireUidLock(UID, dir, lockDir)).toBe(true);
    expect(existsSync(orphan)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(releaseUidLock(UID, dir, lockDir)).toBe(true);
  });

  test('a stale lock (holder dead, or its dir gone, and nothing running as the uid) is taken over', () => {
    const dir = join(work, 'instance');
    mkdirSync(dir); // the holder's dir exists: only its dead holder makes the lock stale
    acquireUidLock(UID, dir, lockDir);
    const lockPath = join(lockDir, `${UID}.lock`);
    writeFileSync(lockPath, JSON.stringify({ uid: UID, dir, pid: getDeadPid(), at: 0 }));
    expect(acquireUidLock(UID, join(work, 'next'), lockDir)).toBe(true);
    expect(readUidLock(UID, lockDir)?.dir).toBe(join(work, 'next'));

    writeFileSync(lockPath, JSON.stringify({ uid: UID, dir: join(work, 'gone'), pid: process.pid, at: 0 }));
    expect(acquireUidLock(UID, join(work, 'third'), lockDir)).toBe(true);
    writeFileSync(lockPath, 'not json');
    expect(acquireUidLock(UID, join(work, 'fourth'), lockDir)).toBe(true);
  });

  test.skipIf(!isRoot)('a lock whose uid still runs something is never taken over, even with its holder dead', async () => {
    const sleeper = spawn('sleep', ['30'], { uid: UID, gid: UID, stdio: 'ignore', cwd: '/' });
    try {
      acquireUidLock(UID, join(work, 'x'), lockDir);
      await waitFor('the sleeper to run as the uid', () => listUidProcesses(UID).length > 0);
      writeFileSync(join(lockDir, `${UID}.lock`), JSON.stringify({ uid: UID, dir: join(work, 'gone'), pid: getDeadPid(), at: 0 }));
      expect(acquireUidLock(UID, join(work, 'y'), lockDir)).toBe(false);
    } finally {
      sleeper.kill('SIGKILL');
      // Gone and reaped before the next test, which needs nothing running as the uid.
      await waitFor('the sleeper to be reaped', () => listUidProcesses(UID, { includeZombies: true }).length === 0);
    }
  });

  test('a takeover never removes a lock other than the stale one it judged: one created meanwhile stays', () => {
    const live = join(work, 'live');
    mkdirSync(live);
    acquireUidLock(UID, live, lockDir); // creates the private lock dir
    const path = getLockPath(lockDir, UID);
    writeFileSync(path, JSON.stringify({ uid: UID, dir: join(work, 'gone'), pid: getDeadPid(), at: 0 }));
    // Two takers judge the same stale lock; the first removes it and a new instance takes the uid.
    const seen = readSeenLock(path)!;
    expect(removeIfUnchanged(path, seen)).toBe(true);
    expect(acquireUidLock(UID, live, lockDir)).toBe(true);
    // The second taker acts on what it judged: the live lock is another file, and it stays.
    expect(removeIfUnchanged(path, seen)).toBe(false);
    expect(readUidLock(UID, lockDir)?.dir).toBe(live);
    expect(existsSync(`${path}.takeover`)).toBe(false);
  });

  test('while another process removes a lock (its guard is held), nothing else removes or takes it over', () => {
    const dir = join(work, 'instance');
    acquireUidLock(UID, dir, lockDir);
    const path = getLockPath(lockDir, UID);
    writeFileSync(path, JSON.stringify({ uid: UID, dir: join(work, 'gone'), pid: getDeadPid(), at: 0 }));
    // A live remover (this process) holds the guard.
    writeFileSync(`${path}.takeover`, JSON.stringify({ pid: process.pid, at: Date.now() }));
    expect(findDeadGuard(UID, lockDir)).toBeUndefined();
    expect(acquireUidLock(UID, join(work, 'next'), lockDir)).toBe(false);
    expect(releaseUidLock(UID, join(work, 'gone'), lockDir)).toBe(false);
    expect(readUidLock(UID, lockDir)?.dir).toBe(join(work, 'gone'));
    // A guard whose holder died: still no removal (a live lock might be at stake), but it is named for the fix by hand.
    writeFileSync(`${path}.takeover`, JSON.stringify({ pid: getDeadPid(), at: 0 }));
    expect(findDeadGuard(UID, lockDir)).toBe(`${path}.takeover`);
    expect(acquireUidLock(UID, join(work, 'next'), lockDir)).toBe(false);
    rmSync(`${path}.takeover`);
    expect(acquireUidLock(UID, join(work, 'next'), lockDir)).toBe(true);
    expect(existsSync(`${path}.takeover`)).toBe(false);
  });

  test('a lock dir that is not private is refused', () => {
    acquireUidLock(UID, join(work, 'a'), lockDir);
    chmodSync(lockDir, 0o755);
    expect(() => acquireUidLock(UID + 1, join(work, 'a'), lockDir)).toThrow(TargetError);
    expect(() => acquireUidLock(UID + 1, join(work, 'a'), lockDir)).toThrow(/not a directory private/);
  });

  test.skipIf(!isRoot)('four processes picking a uid for the same dir at the same moment get four different uids', async () => {
    // The same dir means the same hash start: without the lock every one of them would pick the same uid.
    const dir = join(work, 'same-dir');
    mkdirSync(dir); // as in a start: the dir exists before its uid is picked
    const script = `
      import { createInterface } from 'node:readline';
      const { chooseRunAs } = await import(${JSON.stringify(join(root, 'dist', 'targets', 'reference', 'run-as.js'))});
      const { releaseUidLock } = await import(${JSON.stringify(join(root, 'dist', 'targets', 'reference', 'uid-lock.js'))});
      const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
      console.log('ready');
      await lines.next();
      const { uid } = chooseRunAs(${JSON.stringify(dir)}, { processBudget: 128, memoryBudgetMiB: 512 });
      console.log(uid);
      await lines.next();
      releaseUidLock(uid, ${JSON.stringify(dir)});
    `;
    const children = Array.from({ length: 4 }, () => spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] }));
    try {
      const outputs = children.map((child) => createInterface({ input: child.stdout! })[Symbol.asyncIterator]());
      await Promise.all(outputs.map(async (lines) => expect((await lines.next()).value).toBe('ready')));
      for (const child of children) child.stdin!.write('go\n');
      const uids = await Promise.all(outputs.map(async (lines) => Number((await lines.next()).value)));
      expect(new Set(uids).size).toBe(4);
      for (const uid of uids) expect(readUidLock(uid)?.dir).toBe(dir);
      for (const child of children) child.stdin!.end('done\n');
      await waitFor('the children to release their locks', () => uids.every((uid) => readUidLock(uid)?.dir !== dir));
    } finally {
      for (const child of children) child.kill('SIGKILL');
      // Whatever a killed child still held: released here, so the real lock dir keeps nothing of this test.
      for (const lock of findUidLocks([dir])) releaseUidLock(lock.uid, dir);
    }
  });
});
