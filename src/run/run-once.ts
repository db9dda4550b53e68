// One repetition of a scenario: steady state → canaries before → inject (ledger first) → t0 → sample
// (canaries during) → detect → recover → rollback → canaries after → reconcile. Rollback runs in
// `finally`, whatever happened before it.
import { randomUUID } from 'node:crypto';
import { CanaryReadError, CanaryRun } from '../canaries/canary-run.js';
import type { FaultDefinition, FaultState } from '../faults/types.js';
import type { RunEventStream } from '../events/stream.js';
import type { RunPhase } from '../events/types.js';
import { measureRecovery } from '../measure/measure-recovery.js';
import type { Sample } from '../measure/sample.js';
import { TargetSignalWatch, getTargetFigures } from '../measure/target-signal-watch.js';
import type { RunSummary } from '../analyse/summary-schema.js';
import type { Scenario } from '../scenario/types.js';
import type { Target } from '../targets/types.js';
import { epochMs, monotonicMs, roundMs } from '../util/clock.js';
import { raiseOwnPriority } from '../util/priority.js';
import { getErrorMessage } from '../errors.js';
import type { Intent, Ledger, TargetDescriptor } from './ledger.js';
import type { NamedProbe } from './probe-set.js';
import { ProbeOutageRecorder } from './probe-outages.js';
import { waitForSteadyState } from './steady-state.js';
import { readTargetSignals } from './target-signals.js';

/** Everything one repetition needs. */
export interface RunOnceContext {
  runId: string;
  index: number;
  scenario: Scenario;
  target: Target;
  targetDescriptor: TargetDescriptor;
  fault: FaultDefinition;
  probes: NamedProbe[];
  ledger: Ledger;
  events: RunEventStream;
  signal: AbortSignal;
  /** Set when an earlier run or scenario left this target broken ("target left broken by x run 1"): a steady state not met is then a skip, not an abort. */
  leftBrokenBy?: string;
}

// Says which phase began (with its time limit, for a countdown).
function reportPhase(context: RunOnceContext, phase: RunPhase, limitMs?: number): void {
  context.events.emit('run.phase', { scenario: context.scenario.id, run: context.index, phase, ...(limitMs === undefined ? {} : { limitMs }) });
}

/** Runs one repetition and returns its measured result. */
export async function runOnce(context: RunOnceContext): Promise<RunSummary> {
  const { scenario, events, probes, index } = context;
  const base = { scenario: scenario.id, run: index };
  const result = createEmptyResult(context);

  reportPhase(context, 'steady-state', scenario.steadyStateWaitMs);
  const steady = await waitForSteadyState(probes, scenario.steadyStateWaitMs, scenario.sampleIntervalMs, context.signal);
  events.emit('steady-state', { ...base, ok: steady.ok, waitedMs: roundMs(steady.waitedMs), failing: steady.failing });
  if (!steady.ok) {
    const which = steady.failing.map((failure) => `${failure.name} (${failure.detail})`).join('; ');
    if (context.signal.aborted) return { ...result, status: 'aborted', reason: 'interrupted' };
    // Not this scenario's failure: the target is still down from an earlier one, so nothing can be measured here.
    if (context.leftBrokenBy) return { ...result, status: 'skipped', reason: context.leftBrokenBy };
    return { ...result, status: 'aborted', reason: `steady state not met after ${Math.round(steady.waitedMs)} ms: ${which}` };
  }

  const canaries = CanaryRun.create(scenario.canaries ?? [], context.target);
  const signalWatch = new TargetSignalWatch(scenario.targetSignals ?? [], context.target);
  let t0: number | null = null;
  // When inject began (epoch ms): the target may notice, and even repair, before inject returns at t0.
  const timing = { injectStartedAt: null as number | null };
  try {
    await canaries.sendPhase('before', context.signal);
    // From inject to recovery faultline is a timekeeper: at a raised priority where root allows.
    const restorePriority = raiseOwnPriority(() => [...new Set(probes.map((probe) => probe.sources))].flatMap((sources) => sources.getHelperPids()));
    try {
      t0 = await injectAndMeasure(context, result, steady.samples, canaries, timing);
    } finally {
      restorePriority();
    }
    if (t0 !== null && result.status === 'completed' && canaries.active && !context.signal.aborted) {
      await canaries.sendPhase('after', context.signal);
      try {
        result.dataLoss = await canaries.reconcile(t0);
        events.emit('note', { ...base, message: `canaries: ${result.dataLoss.lost} of ${result.dataLoss.sent} lost`, dataLoss: result.dataLoss });
      } catch (error) {
        if (!(error instanceof CanaryReadError)) throw error;
        // A target that recovered should serve its data: faultline could not measure what it was asked
        // to (an error). One still down at the timeout has its verdict already; its loss stays unknown.
        if (result.recovered) {
          result.status = 'error';
          result.reason = error.message;
          events.emit('error', { ...base, message: error.message });
        } else events.emit('note', { ...base, message: error.message });
      }
    }
  } finally {
    const logSignals = signalWatch.close(result.t0);
    if (result.t0 !== null) await recordTargetSignals(context, result, logSignals, timing.injectStartedAt ?? result.t0);
    if (result.status === 'completed') refuseUnprovenRecovery(context, result);
  }
  return result;
}

// A run in which no probe ever saw the fault proves nothing about recovery — unless the target
// itself recorded a repair (it fixed the fault before the first check): otherwise the probes may
// simply be blind to this fault, and "recovered in 3 ms" would be an invented figure.
function refuseUnprovenRecovery(context: RunOnceContext, result: RunSummary): void {
  if (result.detected || !result.recovered || result.targetSignals.some((signal) => signal.event === 'repair')) return;
  result.recovered = false;
  result.rtoMs = null;
  result.rtoResolutionMs = null;
  result.reason = 'no steady-state probe saw the fault and the target recorded no repair: recovery is unproven (are the probes blind to this fault?)';
  context.events.emit('note', { scenario: context.scenario.id, run: context.index, message: result.reason });
}

function createEmptyResult(context: RunOnceContext): RunSummary {
  return {
    index: context.index,
    status: 'completed',
    recovered: false,
    detected: false,
    ttdMs: null,
    rtoMs: null,
    resolutionMs: 0,
    ttdResolutionMs: null,
    rtoResolutionMs: null,
    timeoutMs: context.scenario.timeoutMs,
    detectedBy: null,
    t0: null,
    inject: null,
    steadyStateProbes: context.probes.length,
    probesFailed: 0,
    dataLoss: null,
    rollback: null,
    targetSignals: [],
  };
}

/** Prepares, records the intent, injects, measures, and rolls back in `finally`; returns t0 (monotonic) once injected. */
async function injectAndMeasure(context: RunOnceContext, result: RunSummary, previous: Sample[], canaries: CanaryRun, timing: { injectStartedAt: number | null }): Promise<number | null> {
  const { scenario, events } = context;
  const base = { scenario: scenario.id, run: context.index };
  const intent: Intent = {
    id: `${context.runId}-${scenario.id}-${context.index}-${randomUUID().slice(0, 8)}`,
    kind: 'fault',
    createdAt: new Date().toISOString(),
    pid: process.pid,
    runId: context.runId,
    scenario: scenario.id,
    target: context.targetDescriptor,
    fault: scenario.fault,
  };
  intent.stateDir = context.ledger.createStateDir(intent.id);
  const faultContext = { target: context.target, stateDir: intent.stateDir };
  let state: FaultState | undefined;
  let injected = false;
  let t0: number | null = null;
  try {
    state = await context.fault.prepare(scenario.fault, faultContext);
    context.ledger.open({ ...intent, state });
    injected = true;
    reportPhase(context, 'injecting');
    // The fault acts somewhere inside [start, returned]: figures count from the start (an RTO is never
    // counted short), and their windows widen by the whole bracket (see measureRecovery).
    const start = monotonicMs();
    timing.injectStartedAt = epochMs(start);
    await context.fault.inject(scenario.fault, faultContext, state);
    const returned = monotonicMs();
    t0 = start;
    result.t0 = epochMs(start);
    const bracket = { startedAt: epochMs(start), returnedAt: epochMs(returned), durationMs: roundMs(returned - start) };
    result.inject = bracket;
    // Sampling (and the canaries' "during" phase) start at t0, while the fault is being verified, so a fast repair is not missed.
    // Both may spawn processes: they start right after the probes' first checks (see measureRecovery).
    const faultState = state;
    let during: Promise<void> = Promise.resolve();
    // A target that repairs within milliseconds can undo the fault before its own verify step
    // looks; a steady-state probe that saw the failure, or the target's own detection of it, is
    // evidence enough that it took effect.
    const verify = (seenByProbe: () => boolean) => {
      during = canaries.sendPhase('during', context.signal);
      return context.fault.verify(scenario.fault, faultContext, faultState).then(async (verified) => {
        const evidence = verified ? 'verify' : seenByProbe() ? 'probe' : (await hasTargetSignalSince(context, result.t0!)) ? 'target' : null;
        events.emit('fault.inject', { ...base, fault: scenario.fault.type, t0: result.t0, inject: bracket, verified: evidence !== null, verifiedBy: evidence, verifyMs: roundMs(monotonicMs() - returned) });
        if (!evidence) throw new Error(`the fault ${scenario.fault.type} did not take effect (its verify step saw no change, no probe saw a failure and the target recorded nothing)`);
      });
    };
    try {
      await measure(context, { t0: start, injectReturnedAt: returned }, result, previous, verify);
    } finally {
      await during;
    }
  } catch (error) {
    result.status = context.signal.aborted ? 'aborted' : 'error';
    result.reason = context.signal.aborted ? 'interrupted' : getErrorMessage(error);
    events.emit('error', { ...base, message: getErrorMessage(error) });
  } finally {
    if (injected && state) result.rollback = await rollBack(context, intent, state);
    else context.ledger.close(intent);
  }
  return t0;
}

/** Samples until recovery is established or the timeout passes, filling in the figures. */
async function measure(context: RunOnceContext, bracket: { t0: number; injectReturnedAt: number }, result: RunSummary, previous: Sample[], verify: (seenByProbe: () => boolean) => Promise<void>): Promise<void> {
  const { scenario, events } = context;
  const base = { scenario: scenario.id, run: context.index };
  reportPhase(context, 'recovering', scenario.timeoutMs);
  const outages = new ProbeOutageRecorder();
  const { recoveredAfterMs, ...figures } = await measureRecovery(context.probes, {
    ...bracket,
    timeoutMs: scenario.timeoutMs,
    stabilizeMs: scenario.stabilizeMs,
    previous,
    signal: context.signal,
    verify,
    inEffectPending: context.fault.goesInAfterInject === true,
    // Off the sampling path: written once the turn that took the sample is done.
    onEvent: (type, data) => {
      if (type === 'probe') outages.add(data);
      events.emitSoon(type, { ...base, ...data });
    },
  });
  if (context.signal.aborted) throw new Error('interrupted');
  Object.assign(result, figures);
  const probeOutages = outages.list(bracket.injectReturnedAt - bracket.t0);
  if (probeOutages.length > 0) result.probeOutages = probeOutages;
  // fromMs–toMs: the recovery moment's own window (ms after t0); the RTO's resolution adds the inject bracket.
  if (result.recovered) events.emit('recover', { ...base, rtoMs: result.rtoMs, resolutionMs: result.rtoResolutionMs, fromMs: recoveredAfterMs, toMs: result.rtoMs });
  else {
    // A composite whose steps outlast timeoutMs cannot recover in time: say so rather than blame the target.
    const stillGoingIn = result.inEffectMs === null || result.inEffectMs === undefined || result.inEffectMs > scenario.timeoutMs;
    const reason = stillGoingIn ? 'the fault was still being put in place at timeoutMs (its steps take longer than timeoutMs): raise timeoutMs' : 'not recovered within timeoutMs';
    if (stillGoingIn) result.reason = reason;
    events.emit('timeout', { ...base, timeoutMs: scenario.timeoutMs, reason });
  }
}

/** True when the target's own log recorded a detection or repair at or after `t0` (epoch ms). */
async function hasTargetSignalSince(context: RunOnceContext, t0: number): Promise<boolean> {
  return (await readTargetSignals(context.target.signalsPath, t0, t0, epochMs())).length > 0;
}

/**
 * The target's own signals (its JSONL and matched log lines) beside faultline's figures, from the
 * moment inject began: a fast target notices and repairs while inject is still returning, so its
 * figures may be slightly negative (relative to t0) — recorded as they are, not dropped.
 */
async function recordTargetSignals(context: RunOnceContext, result: RunSummary, logSignals: RunSummary['targetSignals'], injectStartedAt: number): Promise<void> {
  const t0 = result.t0!;
  const from = Math.min(t0 - 50, injectStartedAt);
  const fromFile = await readTargetSignals(context.target.signalsPath, t0, from, epochMs());
  result.targetSignals = [...fromFile, ...logSignals].sort((a, b) => a.t - b.t);
  Object.assign(result, getTargetFigures(result.targetSignals, { rtoMs: result.rtoMs, stabilizeMs: context.scenario.stabilizeMs, notBeforeMs: roundMs(from - t0) }));
  for (const signal of result.targetSignals) context.events.emit('target.signal', { scenario: context.scenario.id, run: context.index, ...signal });
}

/** Rolls the fault back and closes its intent only when the rollback is verified. */
async function rollBack(context: RunOnceContext, intent: Intent, state: FaultState): Promise<{ ok: boolean; detail: string }> {
  const faultContext = { target: context.target, stateDir: intent.stateDir! };
  let outcome: { ok: boolean; detail: string };
  reportPhase(context, 'rolling-back');
  try {
    outcome = await context.fault.rollback(context.scenario.fault, faultContext, state);
  } catch (error) {
    outcome = { ok: false, detail: `rollback threw: ${getErrorMessage(error)}` };
  }
  context.events.emit('fault.rollback', { scenario: context.scenario.id, run: context.index, ...outcome });
  if (outcome.ok) context.ledger.close(intent);
  return outcome;
}
