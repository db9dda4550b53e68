// Waits until every steady-state probe passes in the same round, or gives up and says which failed.
import { monotonicMs, sleep } from '../util/clock.js';
import type { Sample } from '../measure/sample.js';
import { takeSample } from '../measure/sampler.js';
import type { NamedProbe } from './probe-set.js';

/** The outcome of waiting for the steady state. */
export interface SteadyStateResult {
  ok: boolean;
  waitedMs: number;
  /** Probes failing in the last round, with what they saw. */
  failing: { name: string; detail: string }[];
  /** The last round's samples, one per probe (the "before" state the measurement starts from). */
  samples: Sample[];
}

/** Polls all probes together until one round passes completely, for at most `waitMs`. */
export async function waitForSteadyState(probes: readonly NamedProbe[], waitMs: number, intervalMs: number, signal?: AbortSignal): Promise<SteadyStateResult> {
  const start = monotonicMs();
  for (;;) {
    const samples = await Promise.all(probes.map(({ probe }, index) => takeSample(probe, index)));
    const failing = samples.filter((sample) => !sample.ok).map((sample) => ({ name: probes[sample.probe]!.name, detail: sample.detail ?? 'failed' }));
    const waitedMs = monotonicMs() - start;
    if (failing.length === 0) return { ok: true, waitedMs, failing, samples };
    if (waitedMs >= waitMs || signal?.aborted) return { ok: false, waitedMs, failing, samples };
    await sleep(intervalMs, signal);
  }
}
