import { mkdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CanaryReadError, CanaryRun } from '../../src/canaries/canary-run.js';
import { canaryRegistry } from '../../src/canaries/registry.js';
import { GuardError } from '../../src/errors.js';
import { monotonicMs } from '../../src/util/clock.js';
import { createSandbox, type Sandbox } from '../probes/helpers.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.dispose());

describe('canaries on files and commands', () => {
  test('the registry holds tmux.message, file.append and command', () => {
    expect(canaryRegistry.names).toEqual(expect.arrayContaining(['command', 'file.append', 'tmux.message']));
  });

  test('file.append: lines lost when the file is truncated are counted, with when they were sent', async () => {
    const canaries = CanaryRun.create([{ type: 'file.append', path: 'data.log', count: 3, intervalMs: 0, settleMs: 0 }], sandbox.target);
    await canaries.sendPhase('before');
    const t0 = monotonicMs();
    await canaries.sendPhase('during');
    // The fault: everything written so far but the first line is gone.
    truncateSync(join(sandbox.dir, 'data.log'), readFileSync(join(sandbox.dir, 'data.log'), 'utf8').indexOf('\n') + 1);
    await canaries.sendPhase('after');
    const loss = await canaries.reconcile(t0);
    expect(loss).toMatchObject({ lost: 5, sent: 9, rejected: 0 });
    expect(loss.canaries![0]!.lostSeqs).toEqual([2, 3, 4, 5, 6]);
    expect(loss.window!.fromMs).toBeLessThan(0);
    expect(loss.window!.toMs).toBeGreaterThanOrEqual(0);
  });

  test('file.append: a file deleted, or replaced by something else (a directory), counts every item lost', async () => {
    for (const replace of [(file: string) => rmSync(file), (file: string) => (rmSync(file), mkdirSync(file))]) {
      const canaries = CanaryRun.create([{ type: 'file.append', path: 'gone.log', count: 2, intervalMs: 0, settleMs: 0 }], sandbox.target);
      await canaries.sendPhase('before');
      replace(join(sandbox.dir, 'gone.log'));
      expect(await canaries.reconcile(monotonicMs())).toMatchObject({ lost: 2, sent: 2 });
      rmSync(join(sandbox.dir, 'gone.log'), { recursive: true, force: true });
    }
  });

  test('file.append refuses a path outside the target’s roots', () => {
    expect(() => CanaryRun.create([{ type: 'file.append', path: '/etc/faultline-canary' }], sandbox.target)).toThrow(GuardError);
  });

  test('command: items the read command no longer prints are lost; a failing write is rejected', async () => {
    writeFileSync(join(sandbox.dir, 'fail-at'), '');
    const write = ['sh', '-c', 'test -e stop && exit 1; echo "$FAULTLINE_CANARY_TOKEN" >> items'];
    const canaries = CanaryRun.create([{ type: 'command', write, read: ['cat', 'items'], count: 2, intervalMs: 0, settleMs: 0 }], sandbox.target);
    await canaries.sendPhase('before');
    writeFileSync(join(sandbox.dir, 'stop'), '');
    await canaries.sendPhase('during');
    writeFileSync(join(sandbox.dir, 'items'), readFileSync(join(sandbox.dir, 'items'), 'utf8').split('\n')[0] + '\n');
    const loss = await canaries.reconcile(monotonicMs());
    expect(loss).toMatchObject({ lost: 1, sent: 2, rejected: 2 });
  });

  test('command: a read command that fails is no read at all: reconcile throws naming the canary instead of counting every item lost', async () => {
    const canaries = CanaryRun.create([{ type: 'command', write: ['sh', '-c', 'true'], read: ['sh', '-c', 'echo gone away >&2; exit 2'], count: 2, intervalMs: 0, settleMs: 0 }], sandbox.target);
    await canaries.sendPhase('before');
    const error = await canaries.reconcile(monotonicMs()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CanaryReadError);
    expect((error as CanaryReadError).canary).toBe('command');
    expect((error as Error).message).toContain('read command exited 2: gone away');
  });
});
