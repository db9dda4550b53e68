// One repetition of a scenario: steady state → inject (ledger first) → sample → detect →
// recover → rollback. Rollback runs in `finally`, whatever happened before it.
import { randomUUID } from 'node:crypto';
import type { FaultDefinition, FaultState } from '../faults/types.js';
import type { JournalWriter } from '../journal/writer.js';
import { RecoveryTracker } from '../measure/recovery-tracker.js';
import { runSampler } from '../measure/sampler.js';
import type { Sample } from '../measure/sample.js';
import type { RunSummary } from '../analyse/summary-schema.js';
import type { Scenario } from '../scenario/types.js';
import type { Target } from '../targets/types.js';
import { epochMs, monotonicMs, roundMs, sleep } from '../util/clock.js';
import { getErrorMessage } from '../errors.js';
import type { Intent, Ledger, TargetDescriptor } from './ledger.js';
import type { NamedProbe } from './probe-set.js';
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
  journal: JournalWriter;
  signal: AbortSignal;
}

/** Runs one repetition and returns its measured result. */
export async function runOnce(context: RunOnceContext): Promise<RunSummary> {
  const { scenario, journal, probes, index } = context;
  const base = { scenario: scenario.id, run: index };
  const result: RunSummary = {
    index,
    status: 'completed',
    recovered: false,
    detected: false,
    ttdMs: null,
    rtoMs: null,
    resolutionMs: 0,
    timeoutMs: scenario.timeoutMs,
    detectedBy: null,
    t0: null,
    steadyStateProbes: probes.length,
    probesFailed: 0,
    dataLoss: null,
    rollback: null,
    targetSignals: [],
  };

  const steady = await waitForSteadyState(probes, scenario.steadyStateWaitMs, scenario.sampleIntervalMs, context.signal);
  journal.write('steady-state', { ...base, ok: steady.ok, waitedMs: roundMs(steady.waitedMs), failing: steady.failing });
  if (!steady.ok) {
    const which = steady.failing.map((failure) => `${failure.name} (${failure.detail})`).join('; ');
    return { ...result, status: 'aborted', reason: context.signal.aborted ? 'interrupted' : `steady state not met after ${Math.round(steady.waitedMs)} ms: ${which}` };
  }

  const intent: Intent = {
    id: `${context.runId}-${scenario.id}-${index}-${randomUUID().slice(0, 8)}`,
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
  try {
    state = await context.fault.prepare(scenario.fault as never, faultContext);
    context.ledger.open({ ...intent, state });
    injected = true;
    await context.fault.inject(scenario.fault as never, faultContext, state);
    const t0 = monotonicMs();
    result.t0 = epochMs(t0);
    // Sampling starts at t0, while the fault is being verified, so a fast repair is not missed.
    const verification = context.fault.verify(scenario.fault as never, faultContext, state).then((verified) => {
      journal.write('fault.inject', { ...base, fault: scenario.fault.type, t0: result.t0, verified, verifyMs: roundMs(monotonicMs() - t0) });
      if (!verified) throw new Error(`the fault ${scenario.fault.type} did not take effect (its verify step saw no change)`);
    });
    await measureRecovery(context, t0, result, verification);
  } catch (error) {
    result.status = context.signal.aborted ? 'aborted' : 'error';
    result.reason = context.signal.aborted ? 'interrupted' : getErrorMessage(error);
    journal.write('error', { ...base, message: getErrorMessage(error) });
  } finally {
    if (injected && state) {
      result.rollback = await rollBack(context, intent, state);
    } else {
      context.ledger.close(intent);
    }
  }
  return result;
}

/** Samples until recovery is established or the timeout passes, filling in the figures. */
async function measureRecovery(context: RunOnceContext, t0: number, result: RunSummary, verification: Promise<void>): Promise<void> {
  const { scenario, journal, probes } = context;
  const base = { scenario: scenario.id, run: context.index };
  const tracker = new RecoveryTracker(probes.length, t0, scenario.stabilizeMs);
  const failed = new Set<number>();
  const lastOk: (boolean | undefined)[] = [];
  const latency: number[] = probes.map(() => 0);
  const stop = new AbortController();
  const onAbort = () => stop.abort();
  context.signal.addEventListener('abort', onAbort, { once: true });

  const onSample = (sample: Sample) => {
    latency[sample.probe] = Math.max(latency[sample.probe]!, sample.at - sample.start);
    if (!sample.ok) failed.add(sample.probe);
    if (lastOk[sample.probe] !== sample.ok) {
      lastOk[sample.probe] = sample.ok;
      journal.write('probe', { ...base, probe: probes[sample.probe]!.name, ok: sample.ok, atMs: roundMs(sample.at - t0), ...(sample.detail ? { detail: sample.detail } : {}) });
    }
    const detectedBefore = tracker.state.detectedAt !== null;
    if (tracker.add(sample)) stop.abort();
    if (!detectedBefore && tracker.state.detectedAt !== null) {
      journal.write('detect', { ...base, ttdMs: roundMs(tracker.state.detectedAt - t0), by: probes[sample.probe]!.name });
    }
  };
  const deadline = scenario.timeoutMs + scenario.stabilizeMs;
  const sampling = runSampler(probes, onSample, stop.signal);
  const verified = verification.catch((error: unknown) => {
    stop.abort();
    throw error;
  });
  try {
    await Promise.all([sleep(deadline - (monotonicMs() - t0), stop.signal).then(() => stop.abort()), verified]);
  } finally {
    stop.abort();
    await sampling;
    context.signal.removeEventListener('abort', onAbort);
  }
  if (context.signal.aborted) throw new Error('interrupted');

  const { detectedAt, detectedBy, recoveredAt } = tracker.state;
  result.detected = detectedAt !== null;
  result.ttdMs = detectedAt === null ? null : roundMs(detectedAt - t0);
  result.detectedBy = detectedBy === null ? null : probes[detectedBy]!.name;
  result.recovered = recoveredAt !== null && recoveredAt - t0 <= scenario.timeoutMs;
  result.rtoMs = result.recovered && recoveredAt !== null ? roundMs(recoveredAt - t0) : null;
  result.probesFailed = failed.size;
  result.resolutionMs = roundMs(Math.max(...probes.map((probe, i) => probe.intervalMs + latency[i]!)));
  if (result.recovered) journal.write('recover', { ...base, rtoMs: result.rtoMs, resolutionMs: result.resolutionMs });
  else journal.write('timeout', { ...base, timeoutMs: scenario.timeoutMs, reason: 'not recovered within timeoutMs' });

  const t0Epoch = epochMs(t0);
  result.targetSignals = await readTargetSignals(context.target.signalsPath, t0Epoch, t0Epoch - 50, epochMs());
  for (const signal of result.targetSignals) journal.write('target.signal', { ...base, ...signal });
}

/** Rolls the fault back and closes its intent only when the rollback is verified. */
async function rollBack(context: RunOnceContext, intent: Intent, state: FaultState): Promise<{ ok: boolean; detail: string }> {
  const faultContext = { target: context.target, stateDir: intent.stateDir! };
  let outcome: { ok: boolean; detail: string };
  try {
    outcome = await context.fault.rollback(context.scenario.fault as never, faultContext, state);
  } catch (error) {
    outcome = { ok: false, detail: `rollback threw: ${getErrorMessage(error)}` };
  }
  context.journal.write('fault.rollback', { scenario: context.scenario.id, run: context.index, ...outcome });
  if (outcome.ok) context.ledger.close(intent);
  return outcome;
}
