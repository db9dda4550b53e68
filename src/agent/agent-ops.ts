// What the agent does for its controller, on this host: check one probe, plan a scenario, run it.
// Each scenario is checked again here against this host's own schema and guards: the agent trusts
// the controller to choose what to run, not to have checked it.
import { isAbsolute, join } from 'node:path';
import { InputError } from '../errors.js';
import { ProbeSources } from '../measure/sources/probe-sources.js';
import { assertPlansAllowed, planScenarios, type ScenarioPlan } from '../plan/plan-scenarios.js';
import { getProbeDefinition } from '../probes/registry.js';
import type { Ledger } from '../run/ledger.js';
import { runScenarios } from '../run/run-scenarios.js';
import type { Scenario } from '../scenario/types.js';
import { selectTargetDriver } from '../targets/drivers/registry.js';
import type { Target } from '../targets/types.js';
import { monotonicMs, roundMs } from '../util/clock.js';
import { validateScenarioValue } from '../validate/scenario-validator.js';
import { JournalTail } from './journal-tail.js';
import type { AgentRunResult } from './protocol.js';

// Fields of a loaded scenario that are the controller's, not the schema's.
const CONTROLLER_FIELDS = ['source', 'hosts', 'serial', 'maxFailures'];

/** The scenario the controller sent, checked against this host's schema; its target is a file on this host. */
export function readAgentScenario(value: Record<string, unknown>): Scenario {
  const target = value.target;
  if (typeof target !== 'string' || !isAbsolute(target)) {
    throw new InputError(`the scenario's target must be an absolute path to a target file on this host; got ${JSON.stringify(target)}`, { hint: 'set faultline_target for the host in the inventory' });
  }
  const plain = Object.fromEntries(Object.entries(value).filter(([key]) => !CONTROLLER_FIELDS.includes(key)));
  const errors = validateScenarioValue(plain);
  if (errors.length > 0) {
    throw new InputError(`the scenario is not valid for this host's faultline: ${errors.slice(0, 5).map((error) => `${error.instancePath || '/'} ${error.message}`).join('; ')}`);
  }
  return { ...(plain as unknown as Scenario), tags: (plain.tags as string[] | undefined) ?? [], expect: (plain.expect as Scenario['expect'] | undefined) ?? {}, source: { file: target, index: 0 } };
}

// Targets opened for probes, once per file: opening one reads and checks its file.
const probeTargets = new Map<string, Promise<Target>>();

/** Checks one probe once against a target file of this host (the controller's round-trip figure). */
export async function checkProbeOnce(targetFile: string, spec: Record<string, unknown>): Promise<{ ok: boolean; detail?: string; ms: number }> {
  if (!isAbsolute(targetFile)) throw new InputError(`probe target must be an absolute path; got ${JSON.stringify(targetFile)}`);
  if (!probeTargets.has(targetFile)) probeTargets.set(targetFile, openTargetInPlace(targetFile));
  const target = await probeTargets.get(targetFile)!;
  const definition = getProbeDefinition(String(spec.probe));
  const sources = new ProbeSources(target);
  const probe = definition.create(spec, { target, sources });
  const start = monotonicMs();
  try {
    const result = await probe.check();
    return { ok: result.ok, ...(result.detail ? { detail: result.detail } : {}), ms: roundMs(monotonicMs() - start) };
  } finally {
    await probe.close?.();
    await sources.close();
  }
}

// A target that is already there (a target file): probes never start one.
async function openTargetInPlace(file: string): Promise<Target> {
  const { driver } = await selectTargetDriver(file, file);
  if (driver.starts) throw new InputError(`the agent checks probes only against targets it does not start; ${file} uses the ${driver.name} driver`);
  return (await driver.open(file, { heal: true })).target;
}

/** The plan of the scenario on this host: what its fault would touch here, with which guards; touches nothing. */
export async function planAgentScenario(value: Record<string, unknown>, ledger: Ledger): Promise<ScenarioPlan> {
  const [plan] = await planScenarios([readAgentScenario(value)], { ledger });
  return plan!;
}

/**
 * Runs the scenario on this host with the ordinary runner (steady state, ledger first, rollback in
 * finally), passing each journal event on as it is written. Aborting the signal rolls back, as Ctrl-C would.
 */
export async function runAgentScenario(value: Record<string, unknown>, options: { ledger: Ledger; signal: AbortSignal; reportsDir: string; onEvent: (data: Record<string, unknown>) => void }): Promise<AgentRunResult> {
  const scenario = readAgentScenario(value);
  assertPlansAllowed(await planScenarios([scenario], { ledger: options.ledger, signal: options.signal }));
  let tail: JournalTail | undefined;
  const forward = () => {
    for (const event of tail?.drain() ?? []) options.onEvent(event);
  };
  const timer = setInterval(forward, 50);
  try {
    const outcome = await runScenarios([scenario], {
      heal: true,
      gate: false,
      reportsDir: options.reportsDir,
      ledger: options.ledger,
      signal: options.signal,
      onProgress: (event) => {
        if (event.type === 'run.start') tail = new JournalTail(join(event.runDir, 'journal.jsonl'));
      },
    });
    forward();
    const summary = outcome.summary.scenarios[0];
    if (!summary) throw new Error('the run produced no scenario summary');
    return { summary, runDir: outcome.runDir, exitCode: outcome.exitCode };
  } finally {
    clearInterval(timer);
    forward();
  }
}
