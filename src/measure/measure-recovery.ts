// Samples from t0 until recovery is established or the timeout passes, and turns the samples into
// the run's figures: TTD and RTO, each with its resolution, and how every probe was sampled.
import type { ProbeSampling } from '../analyse/summary-schema.js';
import { monotonicMs, roundMs, sleep } from '../util/clock.js';
import { RecoveryTracker } from './recovery-tracker.js';
import { getChangedBefore, type Sample } from './sample.js';
import { Sampler, type ScheduledProbe } from './sampler.js';

/** A probe as the measurement sees it. */
export interface MeasuredProbe extends ScheduledProbe {
  name: string;
  type: string;
}

/** The measured figures of one run (ms; null when there is nothing to measure). */
export interface RecoveryFigures {
  detected: boolean;
  ttdMs: number | null;
  ttdResolutionMs: number | null;
  detectedBy: string | null;
  recovered: boolean;
  rtoMs: number | null;
  rtoResolutionMs: number | null;
  /** Distinct probes that failed after t0. */
  probesFailed: number;
  /** From t0 until the whole fault was in effect (verify resolved); null when it never was before the run ended. */
  inEffectMs: number | null;
  /** The widest of the two figures' resolutions; without a figure, the worst case (interval + latency). */
  resolutionMs: number;
  /** Where the recovery moment's own window opens (ms after t0), before the inject bracket widens it; null when not recovered. */
  recoveredAfterMs: number | null;
  sampling: ProbeSampling[];
}

/** What a measurement needs besides the probes. */
export interface MeasureOptions {
  /** When inject began (monotonic ms): the figures count from here. */
  t0: number;
  /** When inject returned (monotonic ms; default t0): the fault acted within [t0, injectReturnedAt], so each window widens by that bracket. */
  injectReturnedAt?: number;
  timeoutMs: number;
  stabilizeMs: number;
  /** The probes' last samples before t0 (the steady-state check). */
  previous?: readonly (Sample | undefined)[];
  signal: AbortSignal;
  /**
   * Verifies the fault is in effect; a rejection ends the measurement with that error. It starts
   * once every probe has taken its first sample (at most 20 ms after t0), so the process it may
   * spawn does not delay the checks that see a fault already in effect at t0. Recovery is not
   * confirmed before it resolves: until then the fault may still be going in (a composite's steps).
   */
  verify?: (seenByProbe: () => boolean) => Promise<void>;
  /** The fault keeps going in after inject returns (a composite): recovery waits for verify. Otherwise it is whole at t0. */
  inEffectPending?: boolean;
  /** Journal hook: probe state changes and the detection, relative to t0. */
  onEvent?(type: 'probe' | 'detect', data: Record<string, unknown>): void;
}

/** Samples until recovered (or timeoutMs + stabilizeMs after t0) and returns the figures. */
export async function measureRecovery(probes: readonly MeasuredProbe[], options: MeasureOptions): Promise<RecoveryFigures> {
  const { t0 } = options;
  // A fault that keeps going in (a composite) counts as fully in place only when verify resolves (after its last
  // step); any other is whole once inject returned, and its recovery is not dated late by a slow verify.
  const tracker = new RecoveryTracker(probes.length, t0, options.stabilizeMs, { inEffectPending: options.verify !== undefined && options.inEffectPending === true });
  const stats = probes.map((probe) => ({ samples: 0, eventSamples: 0, maxLatencyMs: 0, lastOk: undefined as boolean | undefined }));
  const failed = new Set<number>();
  const stop = new AbortController();
  let confirmTimer: NodeJS.Timeout | undefined;

  const onSample = (sample: Sample) => {
    const stat = stats[sample.probe]!;
    stat.samples += 1;
    if (sample.cause === 'event') stat.eventSamples += 1;
    stat.maxLatencyMs = Math.max(stat.maxLatencyMs, sample.at - sample.start);
    if (sample.start >= t0 && !sample.ok) failed.add(sample.probe);
    if (stat.lastOk !== sample.ok) {
      stat.lastOk = sample.ok;
      // fromMs–toMs: the window of the change (may reach before t0 for a change seen at the first check); atMs: the check's end.
      options.onEvent?.('probe', { probe: probes[sample.probe]!.name, ok: sample.ok, atMs: roundMs(sample.at - t0), fromMs: roundMs(sample.changedAfter - t0), toMs: roundMs(getChangedBefore(sample) - t0), via: sample.cause, ...(sample.detail ? { detail: sample.detail } : {}) });
    }
    const detectedBefore = tracker.state.detectedAt !== null;
    if (tracker.add(sample)) stop.abort();
    if (!detectedBefore && tracker.state.detectedAt !== null) {
      options.onEvent?.('detect', { ttdMs: roundMs(tracker.state.detectedAt - t0), resolutionMs: roundMs(tracker.state.detectedAt - tracker.state.detectedAfter!), by: probes[sample.probe]!.name });
    }
    scheduleConfirmation();
  };
  // Event-driven probes may stay silent through the whole stable window: re-check them all when it ends.
  const scheduleConfirmation = () => {
    const due = tracker.stableDueAt;
    clearTimeout(confirmTimer);
    if (due !== null) confirmTimer = setTimeout(() => sampler.checkAllNow(), Math.max(0, Math.ceil(due - monotonicMs())));
  };

  const firstRound = createFirstRoundSignal(probes.length);
  const sampler = new Sampler(probes, (sample) => {
    firstRound.add(sample.probe);
    onSample(sample);
  }, options.previous);
  const onAbort = () => stop.abort();
  options.signal.addEventListener('abort', onAbort, { once: true });
  sampler.start();
  const verified = firstRound.done
    .then(() => options.verify?.(() => tracker.state.detectedAt !== null))
    .then(() => {
      tracker.markInEffect(monotonicMs());
      scheduleConfirmation();
    })
    .catch((error: unknown) => {
      stop.abort();
      throw error;
    });
  try {
    const deadline = options.timeoutMs + options.stabilizeMs;
    await Promise.all([sleep(deadline - (monotonicMs() - t0), stop.signal).then(() => stop.abort()), verified]);
  } finally {
    stop.abort();
    clearTimeout(confirmTimer);
    await sampler.stop();
    options.signal.removeEventListener('abort', onAbort);
  }
  return buildFigures(probes, tracker, stats, failed, options);
}

// Resolves once every probe has delivered a sample, or after 20 ms.
function createFirstRoundSignal(count: number): { add(probe: number): void; done: Promise<void> } {
  const seen = new Set<number>();
  let resolve: () => void = () => undefined;
  const done = new Promise<void>((settle) => (resolve = settle));
  const timer = setTimeout(resolve, 20);
  if (count === 0) resolve();
  return {
    add(probe) {
      seen.add(probe);
      if (seen.size >= count) {
        clearTimeout(timer);
        resolve();
      }
    },
    done,
  };
}

function buildFigures(
  probes: readonly MeasuredProbe[],
  tracker: RecoveryTracker,
  stats: { samples: number; eventSamples: number; maxLatencyMs: number }[],
  failed: Set<number>,
  options: MeasureOptions,
): RecoveryFigures {
  const { t0 } = options;
  const { detectedAt, detectedAfter, detectedBy, recoveredAt, recoveredAfter } = tracker.state;
  const { inEffectAt } = tracker;
  const recovered = recoveredAt !== null && recoveredAt - t0 <= options.timeoutMs;
  // A figure counts from inject's start; the truth may count from as late as its return: the window
  // of the figure reaches down to (its moment's earliest − inject return), and not below 0.
  const bracket = Math.max(0, (options.injectReturnedAt ?? t0) - t0);
  const widen = (at: number, after: number) => roundMs(at - t0 - Math.max(0, after - t0 - bracket));
  const ttdResolutionMs = detectedAt === null ? null : widen(detectedAt, detectedAfter!);
  const rtoResolutionMs = recovered ? widen(recoveredAt!, recoveredAfter!) : null;
  const known = [ttdResolutionMs, rtoResolutionMs].filter((value): value is number => value !== null);
  const worstCase = Math.max(0, ...probes.map((probe, index) => probe.intervalMs + stats[index]!.maxLatencyMs));
  return {
    detected: detectedAt !== null,
    ttdMs: detectedAt === null ? null : roundMs(detectedAt - t0),
    ttdResolutionMs,
    detectedBy: detectedBy === null ? null : probes[detectedBy]!.name,
    recovered,
    rtoMs: recovered ? roundMs(recoveredAt! - t0) : null,
    rtoResolutionMs,
    probesFailed: failed.size,
    inEffectMs: inEffectAt === null ? null : roundMs(inEffectAt - t0),
    recoveredAfterMs: recovered ? roundMs(recoveredAfter! - t0) : null,
    resolutionMs: roundMs(known.length > 0 ? Math.max(...known) : worstCase),
    sampling: probes.map((probe, index) => ({
      probe: probe.name,
      type: probe.type,
      mode: probe.events && probe.probe.watch ? 'events' : 'poll',
      intervalMs: probe.intervalMs,
      samples: stats[index]!.samples,
      eventSamples: stats[index]!.eventSamples,
      maxLatencyMs: roundMs(stats[index]!.maxLatencyMs),
    })),
  };
}
