// tmux.kill-pane-process, the deprecated alias of process.kill { pane }, against a live reference orchestrator: an agent crash.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { faultRegistry } from '../../src/faults/registry.js';
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
    expect(fault.state).toMatchObject({ signal: 'SIGKILL', processes: [{ pid: agent }] });
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

  // Regression: process.kill looked a pane up through `display-message -t`, which tmux resolves leniently:
  // a missing window or pane index fell back to another pane, whose process was then selected.
  test('process.kill { pane } refuses an address naming no pane instead of selecting another pane', async () => {
    await expect(prepareFault(target, { type: 'process.kill', pane: 'proj-a:Shell.3' })).rejects.toThrow(/^fault\.pane: no pane 3 in window "proj-a:Shell"/);
    await expect(prepareFault(target, { type: 'process.kill', pane: 'proj-a:no-such-window' })).rejects.toThrow(/^fault\.window: no window "proj-a:no-such-window"/);
    await expect(prepareFault(target, { type: 'process.kill', pane: '%999999' })).rejects.toThrow(/^fault\.pane: no pane %999999/);
    await expect(prepareFault(target, { type: 'process.kill', pane: 'no-colon' })).rejects.toThrow(/^fault\.pane: "no-colon" is not a pane address/);
  });

  test('is process.kill with one pane address: the same plan, and marked deprecated in favour of it', async () => {
    const context = { target, stateDir: '/nonexistent' };
    const alias = await faultRegistry.require('tmux.kill-pane-process').plan({ type: 'tmux.kill-pane-process', session: 'proj-a', window: 'Shell', pane: 0, signal: 'SIGTERM' }, context);
    const kill = await faultRegistry.require('process.kill').plan({ type: 'process.kill', pane: 'proj-a:Shell.0', signal: 'SIGTERM' }, context);
    expect(alias).toEqual(kill);
    expect(faultRegistry.require('tmux.kill-pane-process').deprecatedBy).toMatch(/^process\.kill with pane: /);
  });
});
