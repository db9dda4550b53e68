// The one clock of faultline: monotonic, reported as epoch milliseconds with fractions.
import { performance } from 'node:perf_hooks';

/** Monotonic milliseconds since this process started (never goes back). */
export function monotonicMs(): number {
  return performance.now();
}

/** Epoch milliseconds with sub-millisecond fractions, derived from the monotonic clock. */
export function epochMs(monotonic: number = performance.now()): number {
  return performance.timeOrigin + monotonic;
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      signal?.removeEventListener('abort', done);
      clearTimeout(timer);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Rounds a duration to microseconds for output. */
export function roundMs(ms: number): number {
  return Math.round(ms * 1000) / 1000;
}
