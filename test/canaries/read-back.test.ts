// The read back the data canaries share: a failed read is retried while the service comes back, and
// its error stands only after READ_BACK_RETRY_MS.
import { expect, test } from 'vitest';
import { READ_BACK_RETRY_MS, readBackWithRetry, readJsonField } from '../../src/canaries/read-back.js';

test('a read that fails twice and then answers returns the answer', async () => {
  let calls = 0;
  const value = await readBackWithRetry(async () => {
    calls += 1;
    if (calls < 3) throw new Error(`not back yet (${calls})`);
    return 'fl-1\nfl-2';
  });
  expect(value).toBe('fl-1\nfl-2');
  expect(calls).toBe(3);
});

test('a read that keeps failing throws its last error once the retry time is over, not before', async () => {
  let calls = 0;
  const started = performance.now();
  const error = await readBackWithRetry(async () => {
    calls += 1;
    throw new Error(`unreachable (${calls})`);
  }).catch((caught: unknown) => caught);
  expect(performance.now() - started).toBeGreaterThanOrEqual(READ_BACK_RETRY_MS);
  expect(calls).toBeGreaterThan(2);
  expect((error as Error).message).toBe(`unreachable (${calls})`);
}, 20_000);

test('readJsonField reads a field of a JSON answer and gives undefined for a body that is not JSON', () => {
  expect(readJsonField('{"id":"u-7"}', 'id')).toBe('u-7');
  expect(readJsonField('{"id":"u-7"}', 'token')).toBeUndefined();
  expect(readJsonField('<html>', 'id')).toBeUndefined();
});
