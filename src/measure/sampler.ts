// Samples every probe on its own interval until stopped, feeding each observation to a listener.
import type { Probe } from '../probes/types.js';
import { monotonicMs, sleep } from '../util/clock.js';
import type { Sample } from './sample.js';

/** A probe with the interval it is polled at. */
export interface ScheduledProbe {
  probe: Probe;
  intervalMs: number;
}

/** Checks a probe once, turning a thrown error into a failed sample. */
export async function takeSample(probe: Probe, index: number): Promise<Sample> {
  const start = monotonicMs();
  try {
    const result = await probe.check();
    return { probe: index, ok: result.ok, start, at: monotonicMs(), ...(result.detail ? { detail: result.detail } : {}) };
  } catch (error) {
    return { probe: index, ok: false, start, at: monotonicMs(), detail: `probe error: ${error instanceof Error ? error.message : String(error)}` };
  }
}

/**
 * Polls each probe in its own loop (interval measured start to start, so slow probes don't
 * drift) until `signal` aborts. Resolves when every loop has stopped.
 */
export async function runSampler(probes: readonly ScheduledProbe[], onSample: (sample: Sample) => void, signal: AbortSignal): Promise<void> {
  await Promise.all(
    probes.map(async ({ probe, intervalMs }, index) => {
      while (!signal.aborted) {
        const sample = await takeSample(probe, index);
        if (signal.aborted) break;
        onSample(sample);
        await sleep(intervalMs - (monotonicMs() - sample.start), signal);
      }
    }),
  );
}
