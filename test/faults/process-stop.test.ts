// process.stop against a live reference orchestrator: the process hangs (state T) until the duration
// ends or rollback continues it (state no longer T).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, waitFor } from './fault-steps.js';

const readPid = (path: string) => Number.parseInt(readFileSync(path, 'utf8'), 10);
const stateOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
};
let target: ReferenceTarget;

beforeAll(async () => {
  target = await startTarget();
});
afterAll(disposeAll);

describe('process.stop', () => {
  test('stops the scheduler (state T); rollback sends SIGCONT and verifies it is no longer stopped', async () => {
    const pid = readPid(join(target.dir, 'run', 'scheduler.pid'));
    const fault = await injectFault(target, { type: 'process.stop', pidfile: 'run/scheduler.pid', durationMs: 60_000 });
    expect(stateOf(pid)).toBe('T');
    expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringContaining('no longer stopped') });
    expect(stateOf(pid)).not.toBe('T');
    expect((await fault.rollback()).ok).toBe(true); // idempotent
  });

  test('a pane’s own process cannot be hung (tmux continues it) and is refused; the command it runs can, and resumes after durationMs', async () => {
    const agent = readPid(join(target.dir, 'run', 'proj-a.agent.pid'));
    await expect(prepareFault(target, { type: 'process.stop', pane: 'proj-a:Claude-Agent' })).rejects.toThrow(/^fault: pid \d+ \(.*agent\.js.*runs directly in a tmux pane.*cannot be hung/);
    expect(stateOf(agent)).not.toBe('T');

    const shell = Number((await target.tmux(['display-message', '-p', '-t', '=proj-a:Shell', '#{pane_pid}'])).stdout.trim());
    await target.tmux(['send-keys', '-t', '=proj-a:Shell', 'sleep 30', 'Enter']);
    const child = await waitFor('sleep to start in the Shell pane', () => {
      const children = readFileSync(`/proc/${shell}/task/${shell}/children`, 'utf8').trim();
      return children ? Number(children.split(' ')[0]) : 0;
    });
    await expect(prepareFault(target, { type: 'process.stop', pane: 'proj-a:Shell', descendants: true })).rejects.toThrow(/^fault\.count: 2 processes selected/);
    const fault = await injectFault(target, { type: 'process.stop', matches: '^sleep 30$', durationMs: 300 });
    expect(stateOf(child)).toBe('T');
    await waitFor('sleep to run again after durationMs', () => stateOf(child) !== 'T', 3000);
    expect((await fault.rollback()).ok).toBe(true);
    await target.tmux(['send-keys', '-t', '=proj-a:Shell', 'C-c', '']);
  });
});
