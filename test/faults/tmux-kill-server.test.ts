// tmux.kill-server against a live reference orchestrator: the server and its pane processes go.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, waitFor, isAlive } from './fault-steps.js';

let target: ReferenceTarget;

beforeAll(async () => {
  target = await startTarget();
});
afterAll(disposeAll);

describe('tmux.kill-server', () => {
  test('kills the target’s server and its pane processes; rollback has nothing to restore; a dead server is refused', async () => {
    const server = Number.parseInt(readFileSync(join(target.dir, 'run', 'tmux.pid'), 'utf8'), 10);
    const agent = Number.parseInt(readFileSync(join(target.dir, 'run', 'proj-a.agent.pid'), 'utf8'), 10);
    const plan = await (await prepareFault(target, { type: 'tmux.kill-server' })).plan();
    expect(plan.touches[0]).toContain(target.socket.socketPath);

    const fault = await injectFault(target, { type: 'tmux.kill-server' });
    expect(isAlive(server)).toBe(false);
    await waitFor('the agent to go with its pane', () => !isAlive(agent));
    expect((await target.tmux(['list-sessions'])).exitCode).not.toBe(0);
    expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringContaining('target’s own recovery') });
    await expect(prepareFault(target, { type: 'tmux.kill-server' })).rejects.toThrow(/^fault: no tmux server answers on /);
  });
});
