// The healer under resource pressure: it gives up its disk ballast, reaps processes of its uid outside
// its own tree (never its own), and reports honestly what it cannot repair.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import type { ReferenceTarget } from '../../../src/targets/reference/index.js';
import { readEvents, readNumber, startTracked, stopStarted, tmuxOn, waitFor } from './helpers.js';

const isRoot = process.getuid?.() === 0;
let target: ReferenceTarget;
beforeAll(async () => {
  if (isRoot) target = await startTracked();
});
afterAll(stopStarted);

const eventsOf = (component: string) => readEvents(target.signalsPath).filter((event) => event.component === component);
const fill = (name: string) => {
  const data = join(target.dir, 'data');
  const stats = statfsSync(data);
  execFileSync('fallocate', ['-l', String(stats.bavail * stats.bsize), join(data, name)]);
};

describe.skipIf(!isRoot)('the healer under resource pressure (as root)', () => {
  test('gives up its ballast when the data area fills, fails honestly once nothing of its own is left, and re-arms it', async () => {
    const ballast = join(target.dir, 'data', '.ballast');
    fill('filler-1');
    await waitFor('the ballast release', () => eventsOf('disk').some((event) => event.event === 'repair' && /released the 4\.0 MiB ballast/.test(event.detail)));
    expect(readdirSync(join(target.dir, 'data'))).not.toContain('.ballast');
    fill('filler-2');
    await waitFor('an honest failed repair', () => eventsOf('disk').some((event) => event.event === 'repair-failed' && /no ballast of ours left/.test(event.detail)));
    rmSync(join(target.dir, 'data', 'filler-1'));
    rmSync(join(target.dir, 'data', 'filler-2'));
    const removedAt = performance.now();
    await waitFor('the ballast to come back', () => readdirSync(join(target.dir, 'data')).includes('.ballast'));
    expect(performance.now() - removedAt).toBeLessThan(1000); // inotify, not the next poll
    expect(eventsOf('disk').at(-1)).toMatchObject({ event: 'repair', subject: 'data/.ballast' });
    expect(statSync(ballast).size).toBe(4 * 1024 * 1024);
  });

  test('reaps stray processes of its uid when they fill the process budget, and leaves its own processes alone', async () => {
    const { uid, gid } = target.state.runAs!;
    const ownBefore = listUidProcesses(uid).map((process) => process.pid);
    const strays = Array.from({ length: 80 }, () => {
      const child = spawn('sleep', ['30'], { uid, gid, detached: true, stdio: 'ignore', cwd: '/' });
      child.unref();
      return child.pid!;
    });
    try {
      await waitFor('the process repair', () => eventsOf('process').some((event) => event.event === 'repair'), 10_000);
      const [detect, repair] = eventsOf('process');
      expect(detect).toMatchObject({ event: 'detect', subject: `uid ${uid}`, detail: expect.stringMatching(/\/128 processes \(threads\) in use; \d+ stray processes/) });
      // All 80 when they are spawned within the strays' 1 s grace; on a loaded machine the first ripen (and
      // the healer acts) before the last one is spawned, so the count is what existed then.
      const seen = Number(/; (\d+) stray processes/.exec(detect!.detail)![1]);
      expect(seen).toBeGreaterThan(0);
      expect(seen).toBeLessThanOrEqual(80);
      expect(repair!.detail).toMatch(/reaped \d+ stray process/);
      expect(repair!.t - detect!.t).toBeLessThan(2000);
      const alive = new Set(listUidProcesses(uid).map((process) => process.pid));
      expect(ownBefore.filter((pid) => !alive.has(pid))).toEqual([]);
    } finally {
      // The few left once pressure was gone (all of them if this failed: the next test counts strays).
      const alive = new Set(listUidProcesses(uid).map((process) => process.pid));
      for (const pid of strays) if (alive.has(pid)) process.kill(pid, 'SIGKILL');
    }
  });

  test('reaps a stray that takes the uid over its memory budget', async () => {
    const { uid, gid } = target.state.runAs!;
    const hog = spawn(process.execPath, ['-e', 'const b = Buffer.allocUnsafeSlow(320 * 1048576); b.fill(1); setTimeout(() => b.length, 30000)'], { uid, gid, detached: true, stdio: 'ignore', cwd: '/' });
    hog.unref();
    await waitFor('the memory repair', () => eventsOf('memory').some((event) => event.event === 'repair'), 10_000);
    expect(eventsOf('memory')[0]!.detail).toMatch(/MiB resident \(budget 512 MiB\); 1 stray process/);
    await waitFor('the hog to be gone', () => !listUidProcesses(uid).some((process) => process.pid === hog.pid));
  });

  test('does not touch processes in its own tree: budget pressure from them is a failed repair', async () => {
    const socket = target.socket.socketPath!;
    await tmuxOn(socket, ['send-keys', '-t', 'proj-a:Shell', 'for i in $(seq 70); do sleep 30 & done', 'Enter']);
    try {
      await waitFor('an honest failed repair', () => eventsOf('process').some((event) => event.event === 'repair-failed' && /nothing stray to reap/.test(event.detail)), 10_000);
      expect(readNumber(join(target.dir, 'run', 'tmux.pid'))).toBeGreaterThan(1);
    } finally {
      await tmuxOn(socket, ['send-keys', '-t', 'proj-a:Shell', 'kill $(jobs -p)', 'Enter']);
    }
    const { uid } = target.state.runAs!;
    await waitFor('the shell jobs to end', () => listUidProcesses(uid).length < 20);
  });
});
