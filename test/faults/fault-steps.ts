// Drives one fault through its contract (plan → prepare → inject → verify → rollback) against a real
// reference orchestrator, with params checked and defaulted by the scenario schema as a run would.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applySchemaDefaults } from '../../src/scenario/defaults.js';
import { getFaultDefinition } from '../../src/faults/registry.js';
import type { FaultDefinition, FaultPlan, FaultState, RollbackResult } from '../../src/faults/types.js';
import type { Target } from '../../src/targets/types.js';
import { getScenarioSchema, validateScenarioValue } from '../../src/validate/scenario-validator.js';
import { startReference, stopReference, type ReferenceOptions, type ReferenceTarget } from '../../src/targets/reference/index.js';

/** Fault params as a scenario holds them. */
export type FaultParams = { type: string } & Record<string, unknown>;

/** A fault prepared against a target, ready to inject and roll back. */
export interface FaultUnderTest {
  definition: FaultDefinition;
  params: FaultParams;
  context: { target: Target; stateDir: string };
  state: FaultState;
  plan(): Promise<FaultPlan>;
  inject(): Promise<void>;
  verify(): Promise<boolean>;
  rollback(): Promise<RollbackResult>;
}

const cleanups: Array<() => Promise<void> | void> = [];

/** Starts a reference orchestrator (healer off by default, so a fault stays observable); stopped by disposeAll(). */
export async function startTarget(options: ReferenceOptions = {}): Promise<ReferenceTarget> {
  const target = await startReference({ heal: false, ...options });
  cleanups.push(async () => void (await stopReference(target.dir)));
  return target;
}

/** Validates fault params against the scenario schema and applies its defaults, as `faultline run` does. */
export function checkFaultParams(fault: FaultParams): FaultParams {
  const scenario = { id: 'fault-test', title: 'fault test', steadyState: [{ probe: 'tmux.session', session: 'tmux-orc' }], fault };
  const errors = validateScenarioValue(scenario);
  if (errors.length > 0) throw new Error(`invalid fault params: ${JSON.stringify(errors)}`);
  const copy = structuredClone(scenario);
  applySchemaDefaults(copy, getScenarioSchema());
  return copy.fault as FaultParams;
}

/** Plans and prepares a fault (nothing changes yet); its state dir is removed by disposeAll(). */
export async function prepareFault(target: Target, fault: FaultParams): Promise<FaultUnderTest> {
  const params = checkFaultParams(fault);
  const definition = getFaultDefinition(params.type);
  const stateDir = mkdtempSync(join(tmpdir(), 'faultline-fault-state-'));
  cleanups.push(() => rmSync(stateDir, { recursive: true, force: true }));
  const context = { target, stateDir };
  await definition.plan(params, context);
  const state = await definition.prepare(params, context);
  return {
    definition,
    params,
    context,
    state,
    plan: () => definition.plan(params, context),
    inject: () => definition.inject(params, context, state),
    verify: () => definition.verify(params, context, state),
    rollback: () => definition.rollback(params, context, state),
  };
}

/** Plans, prepares and injects a fault, and checks that it is in effect. */
export async function injectFault(target: Target, fault: FaultParams): Promise<FaultUnderTest> {
  const prepared = await prepareFault(target, fault);
  await prepared.inject();
  if (!(await prepared.verify())) throw new Error(`${fault.type} did not take effect`);
  return prepared;
}

/** Stops every instance and removes every state dir this file created (for afterAll). */
export async function disposeAll(): Promise<void> {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
}

/** The shared poller of the reference-orchestrator tests. */
export { isAlive, sha256File, waitFor } from '../targets/reference/helpers.js';
