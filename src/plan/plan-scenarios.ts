// Plans scenarios: what each fault would touch and which guards it passes, against targets that are
// described rather than started (see plan-target.ts). `faultline run` plans every scenario first, so
// bad params are refused (exit 2) before anything is changed; `--dry-run` prints the plan and stops.
import { relative } from 'node:path';
import { AbortError, FaultlineError, GuardError, InputError, getErrorMessage } from '../errors.js';
import { getFaultDefinition } from '../faults/registry.js';
import { getStateDir } from '../run/ledger.js';
import { describeSocket } from '../faults/tmux-objects.js';
import { getProbeName } from '../run/probe-set.js';
import type { Scenario } from '../scenario/types.js';
import { findBundledDriver } from '../targets/drivers/registry.js';
import { PlanTargets, type PlanTarget, type PlanTargetOptions } from './plan-target.js';

/** The plan of one scenario (the JSON of `faultline run --dry-run --json`). */
export interface ScenarioPlan {
  id: string;
  title: string;
  file: string;
  fmea?: string;
  target: { driver: string; name: string; home: string; socket: string; roots: string[]; note: string };
  steadyState: string[];
  fault: { type: string; touches: string[]; guards: string[] };
  runs: number;
  timeoutMs: number;
  stabilizeMs: number;
  /** Why the scenario would be refused before anything is touched (a guard or bad params). */
  problem?: string;
}

/**
 * Plans every scenario; a refused one carries its `problem` instead of throwing. Reference scenarios
 * are planned against the fixed layout; a plan refused there that may read live state (its fault
 * does not declare isPlanStatic, and the refusal is not final, as a path outside the roots is) is
 * planned again on a throwaway instance, started once and stopped (and recorded in the ledger
 * meanwhile) before this returns.
 */
export async function planScenarios(scenarios: readonly Scenario[], options: PlanTargetOptions = {}): Promise<ScenarioPlan[]> {
  const targets = new PlanTargets(options);
  try {
    const plans: ScenarioPlan[] = [];
    for (const scenario of scenarios) {
      throwIfAborted(options.signal);
      let plan = await planScenario(scenario, () => targets.open(scenario.target, scenario.source.file));
      // Only the reference orchestrator has throwaway instances; another bundled target's refusal stands.
      if (plan.problem && plan.placeholder && !plan.final && !isPlanStatic(scenario) && findBundledDriver(scenario.target)?.bundled?.throwawayPlans) {
        throwIfAborted(options.signal);
        plan = await planScenario(scenario, () => targets.openThrowaway());
      }
      plans.push(plan.result);
    }
    // A signal that came while the throwaway instance was starting: it is stopped (finally), then exit 3.
    throwIfAborted(options.signal);
    return plans;
  } finally {
    await targets.close();
  }
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AbortError('interrupted while planning: nothing was injected (a throwaway instance started for the plan is stopped)');
}

// A fault whose plan reads nothing live is refused for good by the placeholder; others get a live instance.
function isPlanStatic(scenario: Scenario): boolean {
  try {
    return getFaultDefinition(scenario.fault.type).isPlanStatic?.(scenario.fault) === true;
  } catch {
    return false;
  }
}

// `final`: the refusal is one no live instance could lift (see GuardError.final), so no throwaway is started for it.
async function planScenario(scenario: Scenario, openTarget: () => Promise<PlanTarget>): Promise<{ result: ScenarioPlan; problem: boolean; placeholder: boolean; final: boolean }> {
  const file = relative(process.cwd(), scenario.source.file) || scenario.source.file;
  const plan: ScenarioPlan = {
    id: scenario.id,
    title: scenario.title,
    file,
    ...(scenario.fmea ? { fmea: scenario.fmea.id } : {}),
    target: { driver: findBundledDriver(scenario.target)?.name ?? 'file', name: scenario.target, home: '', socket: '', roots: [], note: '' },
    steadyState: scenario.steadyState.map(getProbeName),
    fault: { type: scenario.fault.type, touches: [], guards: [] },
    runs: scenario.runs,
    timeoutMs: scenario.timeoutMs,
    stabilizeMs: scenario.stabilizeMs,
  };
  let placeholder = false;
  let final = false;
  try {
    const opened = await openTarget();
    const { target, note } = opened;
    placeholder = opened.placeholder;
    plan.target = { driver: target.driver, name: target.name, home: target.home, socket: target.socket ? describeSocket(target) : '', roots: [...target.roots], note };
    const faultPlan = await getFaultDefinition(scenario.fault.type).plan(scenario.fault, { target, stateDir: getStateDir() });
    plan.fault = { type: scenario.fault.type, ...faultPlan };
  } catch (error) {
    if (!(error instanceof FaultlineError)) throw error;
    plan.problem = `${file}: ${getErrorMessage(error)}`;
    final = error instanceof GuardError && error.final;
  }
  return { result: plan, problem: plan.problem !== undefined, placeholder, final };
}

/** Throws (exit 2) when any plan was refused, naming the file and the field; nothing has been touched. */
export function assertPlansAllowed(plans: readonly ScenarioPlan[]): void {
  const problems = plans.flatMap((plan) => (plan.problem ? [plan.problem] : []));
  const hint = 'fix the scenario; nothing was started or changed (see the plan with `faultline run --dry-run`)';
  if (problems.length === 1) throw new GuardError(problems[0]!, { hint });
  if (problems.length > 1) throw new InputError(`${problems.length} scenarios refused by their guards`, { problems, hint });
}
