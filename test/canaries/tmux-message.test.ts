import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CanaryRun } from '../../src/canaries/canary-run.js';
import { startReference, stopReference, type ReferenceTarget } from '../../src/targets/reference/index.js';
import { monotonicMs } from '../../src/util/clock.js';

let target: ReferenceTarget;
const spec = { type: 'tmux.message', target: 'proj-a:0', log: 'agents/proj-a.log', count: 5, intervalMs: 5, settleMs: 200 };

beforeAll(async () => {
  target = await startReference({ heal: true });
});
afterAll(async () => {
  await stopReference(target.dir);
});


describe('tmux.message canary against the reference agent', () => {
  test('with no fault every message sent is in the agent’s log: nothing lost', async () => {
    const canaries = CanaryRun.create([spec], target);
    const t0 = monotonicMs();
    for (const phase of ['before', 'during', 'after'] as const) await canaries.sendPhase(phase);
    const loss = await canaries.reconcile(t0);
    expect(loss).toMatchObject({ lost: 0, sent: 15, rejected: 0, window: null });
    expect(loss.canaries![0]!.phases.map((phase) => phase.sent)).toEqual([5, 5, 5]);
  });

  test('messages to a pane that does not exist are rejected at send, not counted as lost', async () => {
    const canaries = CanaryRun.create([{ ...spec, target: 'no-such-session:0', count: 2 }], target);
    await canaries.sendPhase('during');
    const loss = await canaries.reconcile(monotonicMs());
    expect(loss).toMatchObject({ lost: 0, sent: 0, rejected: 2 });
  });
});
