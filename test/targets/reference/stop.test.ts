// Isolation and clean stop: parallel instances, nothing left running or mounted, only our processes signalled.
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { TargetError } from '../../../src/errors.js';
import { createReferenceHandle, getReferenceStatus, openReference, startReference, stopReference } from '../../../src/targets/reference/index.js';
import { isAlive, isAnythingMountedUnder, readEvents, readNumber, readRecordedPids, startTracked, stopStarted, tmuxOn, waitFor } from './helpers.js';

afterAll(stopStarted);

describe('isolation and stop', () => {
  afterEach(stopStarted);

  test('two instances started at once do not collide', async () => {
    const [a, b] = await Promise.all([startTracked(), startTracked()]);
    expect(a.dir).not.toBe(b.dir);
    expect(a.socket.socketPath).not.toBe(b.socket.socketPath);
    expect(readNumber(join(a.dir, 'run', 'tmux.pid'))).not.toBe(readNumber(join(b.dir, 'run', 'tmux.pid')));
    await tmuxOn(a.socket.socketPath!, ['kill-session', '-t', 'tmux-orc']);
    await waitFor('a repair in instance A', () => readEvents(a.signalsPath).some((event) => event.event === 'repair'));
    expect(readEvents(b.signalsPath)).toEqual([]);
  });

  test('stop leaves no server, no recorded process, no mount and no directory, and can run twice', async () => {
    const target = await startTracked();
    const socket = target.socket.socketPath!;
    const pids = readRecordedPids(target.dir);
    expect(pids.length).toBeGreaterThanOrEqual(6);
    const before = performance.now();
    await target.stop();
    expect(performance.now() - before).toBeLessThan(5000);
    expect(pids.filter(isAlive)).toEqual([]);
    expect(await tmuxOn(socket, ['list-sessions'])).toBeUndefined();
    expect(isAnythingMountedUnder(target.dir)).toBe(false);
    expect(existsSync(target.dir)).toBe(false);
    await stopReference(target.dir);
    await expect(openReference(target.dir)).rejects.toBeInstanceOf(TargetError);
  });

  test('the healer and scheduler exit by themselves when the stop file appears', async () => {
    const target = await startTracked({ checkinIntervalMs: 100 });
    const healer = readNumber(join(target.dir, 'run', 'healer.pid'));
    const scheduler = readNumber(join(target.dir, 'run', 'scheduler.pid'));
    writeFileSync(join(target.dir, 'run', 'stop'), '');
    await waitFor('the healer to exit', () => !isAlive(healer));
    await waitFor('the scheduler to exit', () => !isAlive(scheduler), 5000);
  });

  test('a directory the caller passed is kept on stop, and can host a fresh start again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-own-'));
    try {
      const first = await startReference({ dir, heal: false });
      const firstServer = readNumber(join(dir, 'run', 'tmux.pid'));
      await expect(startReference({ dir })).rejects.toThrow(/already running/);
      await first.stop();
      expect(existsSync(join(dir, 'target.json'))).toBe(true);
      expect((await getReferenceStatus(dir)).running).toBe(false);
      const second = await startReference({ dir });
      expect((await openReference(dir)).dir).toBe(dir);
      expect(readNumber(join(dir, 'run', 'tmux.pid'))).not.toBe(firstServer);
      await second.stop();
      expect(isAnythingMountedUnder(dir)).toBe(false);
    } finally {
      await stopReference(dir);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('stop is safe on a half-started instance and never signals a process it did not start', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-half-'));
    const stranger = execa('sleep', ['30'], { reject: false });
    try {
      writeFileSync(join(dir, 'target.json'), '{"kind":"reference"');
      mkdirSync(join(dir, 'run'));
      writeFileSync(join(dir, 'run', 'scheduler.pid'), `${stranger.pid}\n`);
      writeFileSync(join(dir, 'run', 'healer.pid'), '1\n');
      await stopReference(dir);
      await stopReference(dir);
      expect(isAlive(stranger.pid!)).toBe(true);
      expect(existsSync(dir)).toBe(true);
    } finally {
      stranger.kill('SIGKILL');
      await stranger;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a managed handle resets to a fresh instance in the same dir and closes cleanly', async () => {
    const handle = await createReferenceHandle({ heal: true });
    const dir = handle.target.home;
    try {
      expect(handle.managed).toBe(true);
      const socket = handle.target.socket!.socketPath!;
      await tmuxOn(socket, ['kill-session', '-t', 'tmux-orc']);
      await waitFor('a repair', () => readEvents(handle.target.signalsPath!).length >= 2);
      const server = readNumber(join(dir, 'run', 'tmux.pid'));
      await handle.reset!();
      expect(handle.target.home).toBe(dir);
      expect(readNumber(join(dir, 'run', 'tmux.pid'))).not.toBe(server);
      expect(readEvents(handle.target.signalsPath!)).toEqual([]);
      expect((await getReferenceStatus(dir)).healthy).toBe(true);
    } finally {
      await handle.close();
    }
    expect(existsSync(dir)).toBe(false);
  });
});
