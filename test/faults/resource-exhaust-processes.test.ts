// resource.exhaust-processes for real: the reference runs as a dedicated uid under RLIMIT_NPROC; the
// fault's sleepers fill it so the orchestrator's next fork fails with EAGAIN; rollback reaps them all.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { GuardError } from '../../src/errors.js';
import { readRecordedHogs } from '../../src/faults/hogs.js';
import exhaustProcesses, { checkForkFails } from '../../src/faults/resource-exhaust-processes.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import type { Target } from '../../src/targets/types.js';
import { startTracked, stopStarted, waitFor } from '../targets/reference/helpers.js';
import { injectFault, isSameProcessAlive, needsRoot, readUid, runCli, writeScenarioYaml } from './resource-fault-helpers.js';

let target: ReferenceTarget;
beforeAll(async () => {
  target = await startTracked({ heal: false, checkinIntervalMs: 100 });
});
afterAll(stopStarted);

// The parent pid of a process (0 when gone).
function readParent(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

const log = () => readFileSync(join(target.dir, 'logs', 'orchestrator.log'), 'utf8');

describe('resource.exhaust-processes', () => {
  test.skipIf(needsRoot)('holds every free slot of the orchestrator’s budget: its forks fail with EAGAIN; rollback reaps every sleeper', async () => {
    const runAs = target.state.runAs!;
    expect(runAs).toMatchObject({ dedicated: true, processBudget: 128 });
    const fault = await injectFault(exhaustProcesses, { type: 'resource.exhaust-processes', durationMs: 30_000 }, target);
    const sleepers = readRecordedHogs(fault.context.stateDir);
    try {
      expect(fault.verified).toBe(true);
      expect(sleepers.length).toBeGreaterThan(20);
      for (const sleeper of sleepers) expect(readUid(sleeper.pid)).toBe(runAs.uid);
      expect(await checkForkFails(runAs.uid, runAs.gid, runAs.processBudget!)).toBe(true);
      await waitFor('a check-in to fail with EAGAIN', () => /check-in \d+ failed: spawn \S+ EAGAIN/.test(log()));
    } finally {
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringMatching(/no sleeper left/) });
    }
    expect(sleepers.filter((sleeper) => isSameProcessAlive(sleeper.pid, sleeper.startTime))).toEqual([]);
    expect(await checkForkFails(runAs.uid, runAs.gid, runAs.processBudget!)).toBe(false);
    const sentBefore = log().split('scheduler: sent').length;
    await waitFor('check-ins to go out again', () => log().split('scheduler: sent').length > sentBefore);
    expect((await exhaustProcesses.rollback(fault.params, fault.context, fault.state)).ok).toBe(true); // idempotent
  });

  test.skipIf(needsRoot)('inject forks from faultline once, not once per sleeper, and is quick with both cores busy; verify proves the next fork fails', async () => {
    const runAs = target.state.runAs!;
    const params = { type: 'resource.exhaust-processes' as const, durationMs: 30_000 };
    const stateDir = mkdtempSync(join(tmpdir(), 'faultline-fault-state-'));
    const context = { target, stateDir };
    const state = await exhaustProcesses.prepare(params as never, context);
    // A competing load at normal priority, one busy loop per core, only while inject runs.
    const loops = cpus().map(() => spawn('/bin/sh', ['-c', 'while :; do :; done'], { stdio: 'ignore' }));
    let injectMs: number;
    try {
      const started = performance.now();
      await exhaustProcesses.inject(params as never, context, state);
      injectMs = performance.now() - started;
    } finally {
      for (const loop of loops) loop.kill('SIGKILL');
    }
    const sleepers = readRecordedHogs(stateDir);
    try {
      expect(sleepers.length).toBeGreaterThan(20);
      // One fork from faultline per batch (the fill, at most 3 top-ups): the rest come from the batch's shell.
      const forkedByUs = sleepers.filter((sleeper) => readParent(sleeper.pid) === process.pid);
      expect(forkedByUs.length).toBeLessThanOrEqual(4);
      for (const sleeper of sleepers) expect(readUid(sleeper.pid)).toBe(runAs.uid);
      // One fork per sleeper from Node took 1–2.7 s on a loaded host; a shell's loop takes a fraction.
      expect(injectMs).toBeLessThan(1000);
      expect(await exhaustProcesses.verify(params as never, context, state)).toBe(true);
    } finally {
      expect(await exhaustProcesses.rollback(params as never, context, state)).toMatchObject({ ok: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
    expect(sleepers.filter((sleeper) => isSameProcessAlive(sleeper.pid, sleeper.startTime))).toEqual([]);
    expect(await checkForkFails(runAs.uid, runAs.gid, runAs.processBudget!)).toBe(false);
  });

  test.skipIf(needsRoot)('verify is false while slots of the budget are free, though every sleeper is alive: it proves the next fork fails, not that the sleepers live', async () => {
    const runAs = target.state.runAs!;
    // Processes of the target's uid that this test started: counted when inject fills the budget, then
    // gone. Twelve: inject holds 8 more than the free slots, and the fork check takes two (its shell and the shell's child).
    const extras = Array.from({ length: 12 }, () => spawn('sleep', ['60'], { uid: runAs.uid, gid: runAs.gid, stdio: 'ignore' }));
    await waitFor('the extra processes to run as the target', () => extras.every((extra) => extra.pid !== undefined && readUid(extra.pid) === runAs.uid));
    const params = { type: 'resource.exhaust-processes' as const, durationMs: 30_000 };
    const stateDir = mkdtempSync(join(tmpdir(), 'faultline-fault-state-'));
    const context = { target, stateDir };
    const state = await exhaustProcesses.prepare(params as never, context);
    try {
      await exhaustProcesses.inject(params as never, context, state);
      expect(await exhaustProcesses.verify(params as never, context, state)).toBe(true);
      await Promise.all(extras.map((extra) => new Promise((resolve) => {
        extra.once('exit', resolve);
        extra.kill('SIGKILL');
      })));
      const sleepers = readRecordedHogs(stateDir);
      expect(sleepers.filter((sleeper) => !isSameProcessAlive(sleeper.pid, sleeper.startTime))).toEqual([]);
      // The orchestrator's check-ins (every 100 ms) may hold a freed slot for a moment: one of three looks sees them free.
      const looks: boolean[] = [];
      for (let look = 0; look < 3; look++) looks.push(await exhaustProcesses.verify(params as never, context, state));
      expect(looks).toContain(false);
    } finally {
      for (const extra of extras) if (extra.exitCode === null && extra.signalCode === null) extra.kill('SIGKILL');
      expect(await exhaustProcesses.rollback(params as never, context, state)).toMatchObject({ ok: true });
      rmSync(stateDir, { recursive: true, force: true });
    }
  });

  test.skipIf(needsRoot)('holds an exact count when one is given', async () => {
    const fault = await injectFault(exhaustProcesses, { type: 'resource.exhaust-processes', count: 5, durationMs: 30_000 }, target);
    try {
      expect(fault.verified).toBe(true);
      expect(readRecordedHogs(fault.context.stateDir)).toHaveLength(5);
    } finally {
      expect((await fault.rollback()).ok).toBe(true);
    }
  });

  test('refuses a target whose processes run as root, or as faultline’s own uid, before starting anything', async () => {
    // A stand-in target whose "tmux server" is this test process: root when tests run as root, else our own uid.
    const self: Target = { ...target, roots: target.roots, resolvePath: (path) => path, describe: () => ({}), tmux: async () => ({ exitCode: 0, stdout: `${process.pid}\n`, stderr: '' }) };
    const planned = exhaustProcesses.plan({ type: 'resource.exhaust-processes' }, { target: self, stateDir: tmpdir() });
    await expect(planned).rejects.toBeInstanceOf(GuardError);
    await expect(planned).rejects.toThrow(process.getuid?.() === 0 ? /run as root, which ignores RLIMIT_NPROC/ : /faultline's own uid/);
  });

  test('through the CLI, a count over the cap exits 2 naming fault.count', async () => {
    const files = { 'over.yaml': writeScenarioYaml('too-many', '{ type: resource.exhaust-processes, count: 5000 }') };
    const ran = await runCli(['run', 'over.yaml', '--target-dir', target.dir], files);
    expect(ran.code).toBe(2);
    expect(ran.stdout + ran.stderr).toMatch(/over\.yaml:\d+:\d+ fault\.count: expected a number ≤ 4096; got 5000/);
    expect(ran.ledger).toEqual([]);
  });
});
