// sql.rows on the web stack with guardrails: the API acknowledges an event only once it is committed, so
// its crash loses nothing acknowledged; the canary reports zero, and the table holds every acknowledged row.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { disposeAll } from '../faults/fault-steps.js';
import { startTestWebstack, type TestWebstack } from '../helpers/webstack.js';
import { crashDuringWrites } from './sql-rows-webstack.js';

let stack: TestWebstack;
beforeAll(async () => {
  stack = await startTestWebstack({ guardrails: true });
}, 90_000);
afterAll(async () => {
  await disposeAll();
  await stack?.stop();
}, 60_000);

describe('sql.rows, guardrails on', () => {
  test('a crash of the API loses no acknowledged event; the canary’s zero matches the table', async () => {
    const { loss, rows } = await crashDuringWrites(stack);
    expect(loss.lost).toBe(0);
    expect(loss.window).toBeNull();
    // The supervisor restarted the API: the after-phase was written too.
    expect(loss.canaries![0]!.phases.find((phase) => phase.phase === 'after')).toMatchObject({ sent: 6, lost: 0 });
    expect(rows).toBe(loss.sent);
    expect(rows).toBeGreaterThanOrEqual(12);
  }, 120_000);
});
