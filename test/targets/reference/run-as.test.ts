// As root the reference runs everything as a dedicated uid under a process budget; check-ins go through
// python3 lib/tmux_utils.py and persist state in the data area; stop leaves nothing of the uid behind.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { listUidProcesses } from '../../../src/util/proc-usage.js';
import { startReference, stopReference } from '../../../src/targets/reference/index.js';
import { readNumber, startTracked, stopStarted, tmuxOn, waitFor } from './helpers.js';

afterAll(stopStarted);

const isRoot = process.getuid?.() === 0;
const readStatus = (pid: number, key: string) => new RegExp(`^${key}:\\s+(.*)$`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? '';
const readProcessLimit = (pid: number) => /^Max processes\s+(\S+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))?.[1];

describe('who the reference runs as', () => {
  test.skipIf(!isRoot)('as root: tmux, panes, scheduler and healer run as a dedicated uid under the process budget, and own the tree', async () => {
    const target = await startTracked({ checkinIntervalMs: 100, processBudget: 200 });
    const runAs = target.state.runAs!;
    expect(runAs).toMatchObject({ dedicated: true, processBudget: 200 });
    expect(runAs.uid).toBeGreaterThanOrEqual(600_000);
    const panePids = (await tmuxOn(target.socket.socketPath!, ['list-panes', '-a', '-F', '#{pane_pid}']))!.trim().split('\n').map(Number);
    for (const pid of [readNumber(join(target.dir, 'run', 'tmux.pid')), readNumber(join(target.dir, 'run', 'scheduler.pid')), readNumber(join(target.dir, 'run', 'healer.pid')), ...panePids]) {
      expect(readStatus(pid, 'Uid').split(/\s+/)[0]).toBe(String(runAs.uid));
      expect(readProcessLimit(pid)).toBe('200');
    }
    for (const entry of ['.', 'config/orchestrator.conf', 'logs/orchestrator.log', 'tmp', 'data', 'data/.ballast', 'tmux.sock']) {
      expect(statSync(join(target.dir, entry)).uid).toBe(runAs.uid);
    }
    expect(target.env.HOME).toBe(target.dir);
    expect(target.describe()).toMatchObject({ runAs: { uid: runAs.uid, processBudget: 200 } });
  });

  test.skipIf(!isRoot)('check-ins go through python3 lib/tmux_utils.py and are persisted in the data area; without python3 they fail in the log', async () => {
    const target = await startTracked({ heal: false, checkinIntervalMs: 100 });
    expect(target.state.checkinVia).toBe('python3');
    const stateFile = join(target.dir, 'data', 'state', 'scheduler.json');
    await waitFor('the scheduler state', () => existsSync(stateFile) && JSON.parse(readFileSync(stateFile, 'utf8')).sent === true);
    // A python3 that fails, first on the orchestrator's PATH (what binary.shadow does).
    writeFileSync(join(target.dir, 'bin', 'python3'), '#!/bin/sh\nexit 127\n');
    chmodSync(join(target.dir, 'bin', 'python3'), 0o755);
    await waitFor('a failed check-in', () => /scheduler: check-in \d+ failed/.test(readFileSync(join(target.dir, 'logs', 'orchestrator.log'), 'utf8')));
    await waitFor('the state to record it', () => JSON.parse(readFileSync(stateFile, 'utf8')).sent === false);
  });

  test.skipIf(!isRoot)('stop kills whatever still runs as the uid, orphans included', async () => {
    const target = await startReference({ heal: false });
    const { uid, gid } = target.state.runAs!;
    const orphan = spawn('sleep', ['30'], { uid, gid, detached: true, stdio: 'ignore', cwd: '/' });
    orphan.unref();
    await waitFor('the orphan to run', () => listUidProcesses(uid).some((process) => process.pid === orphan.pid));
    await stopReference(target.dir);
    expect(listUidProcesses(uid)).toEqual([]);
  });

  test.skipIf(!isRoot)('falls back to root, with a note, when the uid cannot reach the directory', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'faultline-private-')); // 0700: not searchable by others
    try {
      const dir = join(parent, 'ref');
      mkdirSync(dir);
      const target = await startReference({ dir, heal: false });
      try {
        expect(target.state.runAs).toMatchObject({ uid: 0, dedicated: false, note: expect.stringMatching(/cannot write .*ref.*processes run as root/) });
        expect(readStatus(readNumber(join(dir, 'run', 'tmux.pid')), 'Uid').split(/\s+/)[0]).toBe('0');
      } finally {
        await stopReference(dir);
      }
    } finally {
      rmSync(parent, { recursive: true, force: true });
    }
  });

  test.skipIf(isRoot)('without root: the processes run as the invoking user, with a note', async () => {
    const target = await startTracked({ heal: false });
    expect(target.state.runAs).toMatchObject({ uid: process.getuid?.(), dedicated: false, note: expect.stringMatching(/not started as root/) });
  });
});
