// Samples every probe until stopped: at once on an event from its source (tmux notification,
// fs.watch), at a deadline it announced (a heartbeat turning stale), and on its polling interval.
import type { Probe, ProbeResult } from '../probes/types.js';
import { getErrorMessage } from '../errors.js';
import { monotonicMs } from '../util/clock.js';
import type { Sample, SampleCause } from './sample.js';
import type { Trigger } from './sources/trigger.js';

/** A probe with its polling interval, and whether its event source is used. */
export interface ScheduledProbe {
  probe: Probe;
  intervalMs: number;
  events: boolean;
}

interface LoopState {
  previous: Sample | undefined;
  /** The first timed trigger since the previous sample started. */
  firstTrigger: Trigger | undefined;
  pending: 'event' | 'forced' | undefined;
  recheckAt: number | undefined;
  wake: (() => void) | undefined;
  unwatch: (() => void) | undefined;
  /** When the event source was subscribed: only changes after this can have come as events. */
  watchingSince: number;
}

/** Checks a probe once; a thrown error is a failed check. `since`: the previous check's start. */
export async function checkProbe(probe: Probe, since?: number): Promise<ProbeResult> {
  try {
    return await probe.check(since === undefined ? {} : { since });
  } catch (error) {
    return { ok: false, detail: `probe error: ${getErrorMessage(error)}` };
  }
}

/** Checks a probe once as a stand-alone sample (no previous sample: no change bound). */
export async function takeSample(probe: Probe, index: number): Promise<Sample> {
  const start = monotonicMs();
  const result = await checkProbe(probe);
  return { probe: index, ok: result.ok, start, at: monotonicMs(), changedAfter: Number.NEGATIVE_INFINITY, cause: 'initial', ...(result.detail ? { detail: result.detail } : {}) };
}

/** Runs one sampling loop per probe from start() until stop(). */
export class Sampler {
  private readonly states: LoopState[];
  private loops: Promise<void>[] = [];
  private stopped = false;

  /** `previous` are the probes' last samples before this sampler (the steady-state check), if any. */
  constructor(
    private readonly probes: readonly ScheduledProbe[],
    private readonly onSample: (sample: Sample) => void,
    previous: readonly (Sample | undefined)[] = [],
  ) {
    this.states = probes.map((_, index) => ({ previous: previous[index], firstTrigger: undefined, pending: undefined, recheckAt: undefined, wake: undefined, unwatch: undefined, watchingSince: Number.POSITIVE_INFINITY }));
  }

  /** Subscribes to the event sources and takes a first sample of every probe at once. */
  start(): void {
    this.probes.forEach(({ probe, events }, index) => {
      const state = this.states[index]!;
      if (events && probe.watch) {
        state.watchingSince = monotonicMs();
        state.unwatch = probe.watch((trigger) => this.onTrigger(state, trigger));
      }
    });
    this.loops = this.probes.map((_, index) => this.runLoop(index));
  }

  /** Re-checks every probe now (to confirm a stable window). */
  checkAllNow(): void {
    for (const state of this.states) {
      state.pending ??= 'forced';
      state.wake?.();
    }
  }

  /** Stops every loop and unsubscribes; resolves when no check is in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const state of this.states) {
      state.unwatch?.();
      state.unwatch = undefined;
      state.wake?.();
    }
    await Promise.all(this.loops);
  }

  private onTrigger(state: LoopState, trigger: Trigger): void {
    if (this.stopped) return;
    if (trigger.at !== null) state.firstTrigger ??= trigger;
    state.pending = 'event';
    state.wake?.();
  }

  private async runLoop(index: number): Promise<void> {
    const state = this.states[index]!;
    let cause: SampleCause = 'initial';
    while (!this.stopped) {
      const trigger = state.firstTrigger;
      const deadline = cause === 'deadline' ? state.recheckAt : undefined;
      const probe = this.probes[index]!.probe;
      state.firstTrigger = undefined;
      state.pending = undefined;
      const start = monotonicMs();
      // The absence of an event proves something only for the time this sampler listened (not for a
      // previous sample taken before it subscribed: the steady-state check) and the source delivered.
      const since = state.previous?.start;
      const listened = state.unwatch !== undefined && since !== undefined && state.watchingSince <= since;
      const coverage = listened && probe.getEventBound ? (to: number) => probe.getEventBound!(since, to) : undefined;
      // Bounded before the check: what the sources delivered up to its start (a wait under way now counts).
      const changedAfter = getChangeBound(state.previous, { start, trigger, deadline, coverage });
      const result = await checkProbe(probe, since);
      const at = monotonicMs();
      if (this.stopped) break;
      // A change named by an event is only trusted while the probe uses its event source.
      const named = state.unwatch !== undefined ? getNamedChange(state.previous, result, at) : undefined;
      const sample: Sample = {
        probe: index,
        ok: result.ok,
        start,
        at,
        changedAfter: getOpeningBound(state.previous, result, named ? Math.max(changedAfter, named.after) : changedAfter),
        ...(named ? { changedBefore: named.before } : {}),
        cause,
        ...(result.detail ? { detail: result.detail } : {}),
      };
      state.previous = sample;
      state.recheckAt = result.recheckAt;
      this.onSample(sample);
      cause = await this.waitForNext(state, start + this.probes[index]!.intervalMs);
    }
  }

  // Sleeps until the poll time, the announced deadline or an event, whichever comes first.
  private async waitForNext(state: LoopState, pollAt: number): Promise<SampleCause> {
    // A deadline already past when the last check began is stale: ignoring it avoids a busy loop.
    const deadline = state.recheckAt !== undefined && state.recheckAt >= (state.previous?.start ?? 0) ? state.recheckAt : undefined;
    const wakeAt = deadline === undefined ? pollAt : Math.min(pollAt, deadline);
    while (!this.stopped && state.pending === undefined) {
      const remaining = wakeAt - monotonicMs();
      if (remaining <= 0) break;
      await new Promise<void>((resolve) => {
        // Timers fire on whole milliseconds of libuv's clock: sleep at least 1 ms, then re-check the time.
        const timer = setTimeout(done, Math.max(1, Math.ceil(remaining)));
        state.wake = done;
        function done() {
          clearTimeout(timer);
          state.wake = undefined;
          resolve();
        }
      });
    }
    if (state.pending !== undefined) return state.pending;
    return deadline !== undefined && deadline <= pollAt ? 'deadline' : 'poll';
  }
}

/**
 * The window of a change a notification named (the probe's `changedWithin`), used only when the
 * result differs from the previous sample's and the event came after that sample started.
 */
export function getNamedChange(previous: Sample | undefined, result: ProbeResult, at: number): { after: number; before: number } | undefined {
  const named = result.changedWithin;
  if (!previous || previous.ok === result.ok || !named || named.before < previous.start) return undefined;
  return { after: Math.max(previous.start, named.after), before: Math.min(at, named.before) };
}

/**
 * Lowers the window's opening to where the result says the change may have happened at the earliest
 * (an object made no later than its pane's terminal), never below the previous sample's start: a
 * notification's bound holds for when the server announced the change, and a tmux server that waits
 * for a helper process after forking a pane (utempter) announces the window only once that helper is
 * done — time no CPU reading of the server shows.
 */
export function getOpeningBound(previous: Sample | undefined, result: ProbeResult, after: number): number {
  if (!previous || previous.ok === result.ok || result.mayHaveChangedFrom === undefined) return after;
  return Math.max(previous.start, Math.min(after, result.mayHaveChangedFrom));
}

/** What the sampler knew when a sample started, for the bound of a change it sees. */
export interface ChangeEvidence {
  start: number;
  /** The first timed trigger since the previous sample started. */
  trigger?: Trigger | undefined;
  /** The deadline that woke this sample, if one did. */
  deadline?: number | undefined;
  /**
   * The source's delivery bound when it announced every change, without a break, from the previous
   * sample's start until `to`; null (or no function) when it did not: it was not attached, or not
   * listened to, for part of that time.
   */
  coverage?: ((to: number) => number | null) | undefined;
}

/**
 * Lower bound of a change seen by a sample: the previous sample's start, raised — only for the time
 * the source was delivering every change, since an event can narrow nothing it could not announce —
 * - with an event since then, to that first event minus the delivery bound (the change's own event
 *   came no earlier than the first one), when the source delivered from the previous start to it;
 * - with no event, to this sample's start minus the delivery bound (the change's event has not
 *   arrived, so the change is that recent), when the source delivered until this sample started;
 * - to a deadline the probe announced (the state changes exactly then, and anything else would have
 *   come as an event), under the same condition.
 */
export function getChangeBound(previous: Sample | undefined, evidence: ChangeEvidence): number {
  const { start, trigger, deadline, coverage } = evidence;
  let bound = previous?.start ?? Number.NEGATIVE_INFINITY;
  if (!previous || !coverage) return bound;
  if (trigger?.at != null && trigger.at >= previous.start) {
    // The change's own event is late by at most the announcing source's bound (which may exceed the first event's own).
    const delivery = coverage(trigger.at);
    if (delivery !== null) bound = Math.max(bound, trigger.at - Math.max(trigger.boundMs, delivery));
    return bound;
  }
  const eventBound = coverage(start);
  if (eventBound === null) return bound;
  bound = Math.max(bound, start - eventBound);
  if (deadline !== undefined) bound = Math.max(bound, deadline);
  return bound;
}
