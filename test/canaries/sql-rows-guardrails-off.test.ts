// sql.rows on the web stack without guardrails: the API's crash loses the rows it acknowledged but had
// not written yet (the failure matrix's batch event processing), and the canary counts exactly those.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll } from '../faults/fault-steps.js';
import { startTestWebstack, type TestWebstack } from '../helpers/webstack.js';
import { crashDuringWrites } from './sql-rows-webstack.js';

let stack: TestWebstack;
beforeAll(async () => {
  stack = await startTestWebstack({ guardrails: false, eventFlushMs: 4000 });
}, 90_000);
afterAll(async () => {
  await disposeAll();
  await stack?.stop();
}, 60_000);

describe('sql.rows, guardrails off', () => {
  test('acknowledged events buffered in the crashed API are lost; the canary’s count matches the table', async () => {
    const { loss, rows } = await crashDuringWrites(stack);
    // The during-phase events were acknowledged (202) and held for the next flush (every 4 s), which the crash
    // pre-empted: lost, unless a flush came between (then fewer, never none on a host that is not stalled).
    const [canary] = loss.canaries!;
    expect(loss.lost).toBeGreaterThan(0);
    expect(canary!.phases).toEqual([
      { phase: 'before', sent: 6, lost: 0, rejected: 0 },
      { phase: 'during', sent: 6, lost: loss.lost, rejected: 0 },
      // The API stays down without guardrails: nothing after the crash is acknowledged.
      { phase: 'after', sent: 0, lost: 0, rejected: 6 },
    ]);
    // The lost are the newest during-phase items (older ones may have been flushed), sent after t0.
    expect(canary!.lostSeqs).toEqual([7, 8, 9, 10, 11, 12].slice(6 - loss.lost));
    expect(loss.window!.fromMs).toBeGreaterThanOrEqual(0);
    // The test's own count: the table holds exactly the acknowledged rows the canary did not call lost.
    expect(rows).toBe(loss.sent - loss.lost);
  }, 120_000);
});
