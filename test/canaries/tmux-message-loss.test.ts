import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CanaryRun } from '../../src/canaries/canary-run.js';
import { getReferenceScripts } from '../../src/targets/reference/scripts.js';
import { monotonicMs } from '../../src/util/clock.js';
import { createSandbox, until, type Sandbox } from '../probes/helpers.js';

// The reference agent (seq, time and line per message), run under `sh` on a private tmux server. tmux
// sends SIGCONT to a pane's own process when it stops, so the agent is the pane's child: stopping it
// leaves typed messages unread in the terminal, and killing it then loses them, as a crash would.
let sandbox: Sandbox;
const agent = getReferenceScripts().agent;
const log = () => join(sandbox.dir, 'agents', 'work.log');

async function startAgent(respawn: boolean): Promise<number> {
  const command = `${process.execPath} ${agent} ${log()}; exec sleep 600`;
  const args = respawn ? ['respawn-pane', '-k', '-t', '=work:agent', command] : ['new-session', '-d', '-s', 'work', '-n', 'agent', command];
  expect((await sandbox.tmux(args)).exitCode).toBe(0);
  let pid = 0;
  await until('the agent to run', () => {
    try {
      pid = Number(readFileSync(join(sandbox.dir, 'run', 'work.agent.pid'), 'utf8'));
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('agent.js');
    } catch {
      return false;
    }
  });
  return pid;
}

// Independently of the canary: how many of its messages the agent's log holds.
function countLogged(): number {
  return readFileSync(log(), 'utf8').split('\n').filter((line) => /^\d+\t[\d.]+\tfaultline canary fl-/.test(line)).length;
}

beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.dispose());

describe('tmux.message canary when the agent loses in-flight messages', () => {
  test('messages typed into a hung agent that is then killed are lost: exactly as many as its log is missing', async () => {
    const first = await startAgent(false);
    const canaries = CanaryRun.create([{ type: 'tmux.message', target: 'work:agent', log: 'agents/work.log', count: 5, intervalMs: 5, settleMs: 200 }], sandbox.target);
    await canaries.sendPhase('before');
    await until('the agent to log every message sent so far', () => countLogged() === 5);
    process.kill(first, 'SIGSTOP');
    const t0 = monotonicMs();
    await canaries.sendPhase('during');
    process.kill(first, 'SIGKILL');
    // The target recovers: a fresh agent on a fresh terminal; what the old one never read is gone.
    const second = await startAgent(true);
    expect(second).not.toBe(first);
    await canaries.sendPhase('after');
    const loss = await canaries.reconcile(t0);

    expect(loss.lost).toBe(loss.sent - countLogged());
    expect(loss).toMatchObject({ lost: 5, sent: 15, rejected: 0 });
    expect(loss.canaries![0]!.lostSeqs).toEqual([6, 7, 8, 9, 10]);
    expect(loss.canaries![0]!.phases.map((phase) => phase.lost)).toEqual([0, 5, 0]);
    expect(loss.window!.fromMs).toBeGreaterThanOrEqual(0);
    expect(loss.window!.toMs).toBeGreaterThan(loss.window!.fromMs);
  });
});
