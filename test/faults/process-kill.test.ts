// process.kill against a live reference orchestrator: selection by pidfile, pane and pattern, and the
// guards — never a process that is not the target's, never faultline or pid 1, a cap on how many.
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, isAlive } from './fault-steps.js';

const readPid = (path: string) => Number.parseInt(readFileSync(path, 'utf8'), 10);
let target: ReferenceTarget;
let run: string;

beforeAll(async () => {
  target = await startTarget();
  run = join(target.dir, 'run');
});
afterAll(disposeAll);

describe('process.kill', () => {
  test('kills the scheduler named by its pidfile; verify sees it gone; rollback has nothing to restore', async () => {
    const pid = readPid(join(run, 'scheduler.pid'));
    const fault = await injectFault(target, { type: 'process.kill', pidfile: 'run/scheduler.pid' });
    expect(isAlive(pid)).toBe(false);
    expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringContaining(`pid ${pid}`) });
  });

  test('kills the process in a pane with the signal asked for', async () => {
    const pid = readPid(join(run, 'proj-a.health.pid'));
    await injectFault(target, { type: 'process.kill', pane: 'proj-a:Dev-Server', signal: 'SIGTERM' });
    expect(isAlive(pid)).toBe(false);
  });

  test('a pattern matching more processes than count is refused; within count all are killed', async () => {
    const agents = [readPid(join(run, 'tmux-orc.agent.pid')), readPid(join(run, 'proj-a.agent.pid'))];
    await expect(prepareFault(target, { type: 'process.kill', matches: '^\\S*node \\S*/agent\\.js' })).rejects.toThrow(/^fault\.count: 2 processes selected .*more than count 1/);
    expect(agents.every(isAlive)).toBe(true);
    await injectFault(target, { type: 'process.kill', matches: '^\\S*node \\S*/agent\\.js', count: 2 });
    expect(agents.some(isAlive)).toBe(false);
  });

  test('refuses faultline itself, pid 1 and a process that is not the target’s, before signalling anything', async () => {
    writeFileSync(join(run, 'self.pid'), `${process.pid}\n`);
    await expect(prepareFault(target, { type: 'process.kill', pidfile: 'run/self.pid' })).rejects.toThrow(/^fault\.pidfile: \S+self\.pid holds pid \d+, which is faultline itself/);
    writeFileSync(join(run, 'init.pid'), '1\n');
    await expect(prepareFault(target, { type: 'process.kill', pidfile: 'run/init.pid' })).rejects.toThrow(/^fault\.pidfile: \S+init\.pid holds pid 1, which is pid 1 \(init\)/);
    const stranger = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      // A child of this test process, but not the target's: refused even though faultline could signal it.
      writeFileSync(join(run, 'stranger.pid'), `${stranger.pid}\n`);
      await expect(prepareFault(target, { type: 'process.kill', pidfile: 'run/stranger.pid' })).rejects.toThrow(/^fault\.pidfile: refusing pid \d+: it is a child of faultline|^fault\.pidfile: pid \d+ .* is not one of the target’s processes/);
      await expect(prepareFault(target, { type: 'process.kill', matches: '^sleep 30$' })).rejects.toThrow(/^fault\.matches: no live process of the target matches/);
      expect(isAlive(stranger.pid!)).toBe(true);
    } finally {
      stranger.kill();
    }
  });

  test('refuses a pidfile outside the roots, no selector or two of them, and an unknown signal', async () => {
    await expect(prepareFault(target, { type: 'process.kill', pidfile: '/run/sshd.pid' })).rejects.toThrow(/^fault\.pidfile: \/run\/sshd\.pid is outside the target's roots/);
    await expect(prepareFault(target, { type: 'process.kill' })).rejects.toThrow(/^fault: give exactly one of pidfile, matches, pane, process, program or role/);
    // A role is the driver's to name: the reference orchestrator knows none.
    await expect(prepareFault(target, { type: 'process.kill', role: 'leader' })).rejects.toThrow(/^fault\.role: target .* knows no roles; got "leader"/);
    await expect(prepareFault(target, { type: 'process.kill', pidfile: 'run/scheduler.pid', pane: 'proj-a:0' })).rejects.toThrow(/got pidfile and pane/);
    await expect(prepareFault(target, { type: 'process.kill', pane: 'proj-a:0', signal: 'SIGFOO' })).rejects.toThrow(/invalid fault params/);
    const { checkSignal } = await import('../../src/faults/signals.js');
    expect(() => checkSignal('SIGFOO')).toThrow(/^fault\.signal: unknown signal "SIGFOO"; expected one of SIGKILL/);
  });
});
