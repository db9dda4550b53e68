// Reading a canary's writes back right after a fault: the service may still be coming back, and a read
// that fails then is not proof that the data is gone. So a failed read is tried again for a while, and
// only then does its error stand (the canary's check errors instead of counting losses).
import { sleep } from '../util/clock.js';

/** How long a failed read back is retried. */
export const READ_BACK_RETRY_MS = 5000;
const RETRY_PAUSE_MS = 200;

/** Runs `read` until it resolves, retrying a throw every 200 ms for READ_BACK_RETRY_MS; then the last error is thrown. */
export async function readBackWithRetry<T>(read: () => Promise<T>): Promise<T> {
  const deadline = performance.now() + READ_BACK_RETRY_MS;
  for (;;) {
    try {
      return await read();
    } catch (error) {
      if (performance.now() > deadline) throw error;
      await sleep(RETRY_PAUSE_MS);
    }
  }
}

/** The field `name` of a JSON object answer, or undefined when the body is not JSON. */
export function readJsonField(body: string, name: string): unknown {
  try {
    return (JSON.parse(body) as Record<string, unknown>)[name];
  } catch {
    return undefined;
  }
}
