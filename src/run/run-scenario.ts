// All repetitions of one scenario on one target, resetting a managed target between runs that left it broken.
import type { RunSummary } from '../analyse/summary-schema.js';
import type { RunEventStream } from '../events/stream.js';
import { getFaultDefinition } from '../faults/registry.js';
import type { Scenario } from '../scenario/types.js';
import type { TargetHandle } from '../targets/types.js';
import type { Ledger, TargetDescriptor } from './ledger.js';
import { closeProbeSet, createProbeSet } from './probe-set.js';
import { runOnce } from './run-once.js';
import { describeConfiguration } from '../analyse/configuration.js';

/** What one scenario needs from the run around it. */
export interface ScenarioContext {
  runId: string;
  handle: TargetHandle;
  targetDescriptor: TargetDescriptor;
  ledger: Ledger;
  /** The run's event stream: the journal, the terminal and the summary fold listen. */
  events: RunEventStream;
  signal: AbortSignal;
  /** Targets an earlier run left broken, by target (JSON of its descriptor) → "target left broken by <scenario> run <n>"; shared by the scenarios of one faultline run. */
  leftBroken?: Map<string, string>;
}

/** The runs of a scenario, and the target set-up they measured (its summary is folded from the events). */
export type ScenarioRuns = RunSummary[] & { configuration: string };

/** Plans (guards first), then runs every repetition, each ending in a run.result event. */
export async function runScenario(scenario: Scenario, context: ScenarioContext): Promise<ScenarioRuns> {
  const { handle, events } = context;
  const fault = getFaultDefinition(scenario.fault.type);
  const plan = await fault.plan(scenario.fault, { target: handle.target, stateDir: context.ledger.dir });
  events.emit('fault.plan', { scenario: scenario.id, fault: scenario.fault.type, ...plan });

  const runs: RunSummary[] = [];
  const leftBroken = context.leftBroken ?? new Map<string, string>();
  const targetKey = JSON.stringify(context.targetDescriptor);
  let probes = createProbeSet(scenario.steadyState, handle.target, scenario.sampleIntervalMs);
  try {
    for (let index = 1; index <= scenario.runs && !context.signal.aborted; index += 1) {
      const previous = runs.at(-1);
      const broken = previous !== undefined && !(previous.status === 'completed' && previous.recovered);
      if (previous && (broken || handle.resetWhen === 'always') && handle.reset) {
        const reason = !broken ? 'the target resets before every run (hooks.reset.when: always)' : previous.status === 'completed' ? 'the previous run did not recover' : `the previous run ${previous.status}`;
        events.emit('target.reset', { scenario: scenario.id, run: index, reason, message: `resetting the target (${handle.managed ? 'a restart' : 'its reset hook'}): ${reason}` });
        await closeProbeSet(probes);
        await handle.reset();
        leftBroken.delete(targetKey);
        probes = createProbeSet(scenario.steadyState, handle.target, scenario.sampleIntervalMs);
      }
      const leftBrokenBy = leftBroken.get(targetKey);
      // Nothing resets this target and a run of this scenario already found it broken: skip at once, without another wait.
      const result = previous?.status === 'skipped' && leftBrokenBy
        ? createSkippedRun(index, scenario, probes.length, leftBrokenBy)
        : await runOnce({ ...context, index, scenario, target: handle.target, fault, probes, ...(leftBrokenBy ? { leftBrokenBy } : {}) });
      runs.push(result);
      noteTargetState(leftBroken, targetKey, scenario.id, result);
      events.emit('run.result', { scenario: scenario.id, run: index, ...result });
      if (result.status === 'aborted' && !handle.reset) break;
      if (result.rollback && !result.rollback.ok) break;
    }
  } finally {
    await closeProbeSet(probes);
  }
  return Object.assign(runs, { configuration: describeConfiguration(handle.target.describe()) });
}

// A run that recovered leaves the target whole; one whose fault acted and that did not recover leaves it broken for whatever runs next on it.
function noteTargetState(leftBroken: Map<string, string>, targetKey: string, scenarioId: string, result: RunSummary): void {
  if (result.status === 'completed' && result.recovered) leftBroken.delete(targetKey);
  else if (result.t0 !== null && (result.status === 'completed' || result.status === 'error')) leftBroken.set(targetKey, `target left broken by ${scenarioId} run ${result.index}`);
}

// A run not attempted: the target an earlier run broke is still broken and nothing resets it.
function createSkippedRun(index: number, scenario: Scenario, steadyStateProbes: number, reason: string): RunSummary {
  return {
    index, status: 'skipped', recovered: false, detected: false, ttdMs: null, rtoMs: null, resolutionMs: 0, ttdResolutionMs: null, rtoResolutionMs: null,
    timeoutMs: scenario.timeoutMs, detectedBy: null, t0: null, steadyStateProbes, probesFailed: 0, dataLoss: null, rollback: null, targetSignals: [], reason,
  };
}
