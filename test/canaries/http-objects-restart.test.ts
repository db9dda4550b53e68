// http.objects and service.restart on the web stack without guardrails: uploads live on a temp disk the API
// wipes when it starts, so a restart (SIGHUP to the stack's supervisor, as a deploy) loses every file
// acknowledged before it; files uploaded after it are kept. Checked file by file by the test itself too.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CanaryRun } from '../../src/canaries/canary-run.js';
import { monotonicMs } from '../../src/util/clock.js';
import { disposeAll, prepareFault } from '../faults/fault-steps.js';
import { startTestWebstack, waitFor, type TestWebstack } from '../helpers/webstack.js';

let stack: TestWebstack;
beforeAll(async () => {
  stack = await startTestWebstack({ guardrails: false });
}, 90_000);
afterAll(async () => {
  await disposeAll();
  await stack?.stop();
}, 60_000);

describe('http.objects around service.restart, guardrails off', () => {
  test('files uploaded before the restart are lost, those after it are kept', async () => {
    const upload = await stack.http('POST', '/api/uploads', { body: Buffer.from('the test’s own file') });
    expect(upload.status).toBe(201);
    const ownId = (upload.body as { id: string }).id;
    const canaries = CanaryRun.create([{ type: 'http.objects', count: 4, intervalMs: 0, settleMs: 0 }], stack.target);
    await canaries.sendPhase('before');
    const fault = await prepareFault(stack.target, { type: 'service.restart', process: 'api', restart: { process: 'supervisor', signal: 'SIGHUP' } });
    const t0 = monotonicMs();
    await fault.inject();
    expect(await fault.verify()).toBe(true);
    expect(await fault.rollback()).toMatchObject({ ok: true });
    await waitFor(async () => (await stack.http('GET', '/health')).status === 200, 30_000, 'the restarted API to answer');
    await canaries.sendPhase('after');
    const loss = await canaries.reconcile(t0);
    expect(loss).toMatchObject({ lost: 4, sent: 8 });
    expect(loss.canaries![0]!.lostSeqs).toEqual([1, 2, 3, 4]);
    expect(loss.window!.toMs).toBeLessThan(0);
    // The test's own check: its file from before the restart is gone too.
    expect((await stack.http('GET', `/api/uploads/${ownId}`)).status).toBe(404);
  }, 120_000);
});
