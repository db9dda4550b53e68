// tmux.kill-pane-process against a live reference orchestrator: an agent crash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, isAlive } from './fault-steps.js';

let target: ReferenceTarget;

beforeAll(async () => {
  target = await startTarget();
});
afterAll(disposeAll);

describe('tmux.kill-pane-process', () => {
  test('SIGKILLs the agent in proj-a:Claude-Agent; its window closes; rollback has nothing to restore', async () => {
    const agent = Number.parseInt(readFileSync(join(target.dir, 'run', 'proj-a.agent.pid'), 'utf8'), 10);
    const fault = await injectFault(target, { type: 'tmux.kill-pane-process', session: 'proj-a', window: 'Claude-Agent' });
    expect(fault.state).toMatchObject({ pid: agent, signal: 'SIGKILL' });
    expect(isAlive(agent)).toBe(false);
    const windows = (await target.tmux(['list-windows', '-t', '=proj-a', '-F', '#{window_name}'])).stdout;
    expect(windows).not.toContain('Claude-Agent');
    expect(windows).toContain('Shell');
    expect((await fault.rollback()).ok).toBe(true);
  });

  test('refuses a window or pane that is not on the target’s server', async () => {
    await expect(prepareFault(target, { type: 'tmux.kill-pane-process', session: 'proj-b', window: 0 })).rejects.toThrow(/^fault\.window: no window "proj-b:0"/);
    await expect(prepareFault(target, { type: 'tmux.kill-pane-process', session: 'proj-a', window: 'Shell', pane: 3 })).rejects.toThrow(/^fault\.pane: no pane 3 in window "proj-a:Shell"/);
  });
});
