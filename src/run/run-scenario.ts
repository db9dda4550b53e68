// All repetitions of one scenario on one target, resetting a managed target between runs that left it broken.
import type { ScenarioSummary, RunSummary } from '../analyse/summary-schema.js';
import { summarizeScenario } from '../analyse/summarize.js';
import { getFaultDefinition } from '../faults/registry.js';
import type { JournalWriter } from '../journal/writer.js';
import type { Scenario } from '../scenario/types.js';
import type { TargetHandle } from '../targets/types.js';
import type { Ledger, TargetDescriptor } from './ledger.js';
import { closeProbeSet, createProbeSet } from './probe-set.js';
import type { ProgressListener } from './progress.js';
import { runOnce } from './run-once.js';

/** What one scenario needs from the run around it. */
export interface ScenarioContext {
  runId: string;
  handle: TargetHandle;
  targetDescriptor: TargetDescriptor;
  ledger: Ledger;
  journal: JournalWriter;
  signal: AbortSignal;
  onProgress: ProgressListener;
}

/** Plans (guards first), then runs every repetition and summarises them. */
export async function runScenario(scenario: Scenario, context: ScenarioContext): Promise<ScenarioSummary> {
  const { handle, journal } = context;
  const fault = getFaultDefinition(scenario.fault.type);
  const plan = await fault.plan(scenario.fault as never, { target: handle.target, stateDir: context.ledger.dir });
  journal.write('fault.plan', { scenario: scenario.id, fault: scenario.fault.type, ...plan });

  const runs: RunSummary[] = [];
  let probes = createProbeSet(scenario.steadyState, handle.target, scenario.sampleIntervalMs);
  try {
    for (let index = 1; index <= scenario.runs && !context.signal.aborted; index += 1) {
      const previous = runs.at(-1);
      const broken = previous !== undefined && !(previous.status === 'completed' && previous.recovered);
      if (previous && (broken || handle.resetWhen === 'always') && handle.reset) {
        const reason = !broken ? 'the target resets before every run (hooks.reset.when: always)' : previous.status === 'completed' ? 'the previous run did not recover' : `the previous run ${previous.status}`;
        context.onProgress({ type: 'target.reset', scenario, reason });
        journal.write('note', { scenario: scenario.id, run: index, message: `resetting the target (${handle.managed ? 'a restart' : 'its reset hook'}): ${reason}` });
        await closeProbeSet(probes);
        await handle.reset();
        probes = createProbeSet(scenario.steadyState, handle.target, scenario.sampleIntervalMs);
      }
      const result = await runOnce({ ...context, index, scenario, target: handle.target, fault, probes });
      runs.push(result);
      journal.write('run.result', { scenario: scenario.id, run: index, ...result, targetSignals: undefined });
      context.onProgress({ type: 'run.result', scenario, result });
      if (result.status === 'aborted' && !handle.reset) break;
      if (result.rollback && !result.rollback.ok) break;
    }
  } finally {
    await closeProbeSet(probes);
  }
  return summarizeScenario(scenario, runs);
}
