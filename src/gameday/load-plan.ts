// Loads a game-day plan: the plan file, then every step's scenarios, then the checks that need both
// (one target, each scenario once, hypotheses naming scenarios the plan runs).
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import { inspectScenarioFiles } from '../scenario/load.js';
import type { Scenario } from '../scenario/types.js';
import { getTargetKey } from '../targets/open-target.js';
import { createProblem, formatProblem, sortProblems, type Problem } from '../validate/problem.js';
import { pluralize } from '../util/plural.js';
import { readPlanFile, type Plan } from './read-plan.js';
import type { ManualStepSpec } from './plan-schema.js';

/** One step of a loaded plan, ready to run. `index` is its place in `steps` (0-based); `name` is what timelines show. */
export type PlanStep =
  | { kind: 'scenarios'; index: number; name: string; scenarios: Scenario[] }
  | { kind: 'pause'; index: number; name: string; pauseMs: number }
  | { kind: 'manual'; index: number; name: string; manual: Required<ManualStepSpec> };

/** A plan with its steps resolved: what `faultline gameday run` runs. */
export interface LoadedPlan {
  id: string;
  /** Absolute path of the plan file. */
  file: string;
  plan: Plan;
  steps: PlanStep[];
  /** Every scenario the plan runs, in step order. */
  scenarios: Scenario[];
}

/** Loads a plan and its scenarios; throws one InputError listing every problem (file:line:col). */
export async function loadPlan(file: string, options: { maxInputBytes?: number } = {}): Promise<LoadedPlan> {
  const inspected = await inspectPlan(file, options);
  if (inspected.problems.length > 0 || !inspected.loaded) {
    throw new InputError(`${pluralize(inspected.problems.length, 'problem')} in the game-day plan ${file}`, {
      problems: inspected.problems.map(formatProblem),
      hint: 'fix them and check with `faultline gameday validate`; nothing was run',
    });
  }
  return inspected.loaded;
}

/** Reads a plan and its scenarios, reporting problems instead of throwing (for `gameday validate`). */
export async function inspectPlan(file: string, options: { maxInputBytes?: number } = {}): Promise<{ loaded?: LoadedPlan; problems: Problem[] }> {
  const content = await readPlanFile(file, options);
  if (!content.plan || !content.located || content.problems.length > 0) return { problems: content.problems };
  const { plan, located } = content;
  const problems: Problem[] = [];
  const at = (path: (string | number)[], message: string) => problems.push(createProblem(file, located.positions.locate(path), path.join('.'), message));
  const base = dirname(content.absolute);
  const steps: PlanStep[] = [];
  const runs = new Map<string, number>();
  for (const [index, step] of plan.steps.entries()) {
    if (step.pauseMs !== undefined) steps.push({ kind: 'pause', index, name: step.name ?? `pause ${step.pauseMs} ms`, pauseMs: step.pauseMs });
    else if (step.manual) steps.push({ kind: 'manual', index, name: step.name ?? 'manual step', manual: step.manual as Required<ManualStepSpec> });
    else {
      const field = step.scenario !== undefined ? 'scenario' : 'tag';
      const paths = [resolve(base, step.scenario ?? step.from ?? '.')];
      const inspection = await inspectScenarioFiles(paths, options);
      problems.push(...inspection.problems);
      let scenarios = inspection.scenarios;
      if (step.tag !== undefined) scenarios = scenarios.filter((scenario) => scenario.tags.includes(step.tag!));
      if (inspection.problems.length === 0 && scenarios.length === 0) at(['steps', index, field], step.tag !== undefined ? `no scenario under ${paths[0]} has the tag ${step.tag}` : `no scenarios in ${paths[0]}`);
      for (const scenario of scenarios) {
        const first = runs.get(scenario.id);
        if (first !== undefined) at(['steps', index, field], `scenario ${scenario.id} already runs in steps.${first}; a game day runs each scenario once (use its \`runs\` for repetitions)`);
        else runs.set(scenario.id, index);
        if (getTargetKey(scenario.target, scenario.source.file) !== getTargetKey(plan.target, content.absolute)) {
          at(['steps', index, field], `scenario ${scenario.id} runs against ${scenario.target}, not the plan's target ${plan.target}; a game day has one target`);
        }
      }
      steps.push({ kind: 'scenarios', index, name: step.name ?? (step.scenario ?? `tag ${step.tag}`), scenarios });
    }
  }
  plan.hypotheses.forEach((hypothesis, index) => hypothesis.scenarios.forEach((id, item) => {
    if (!runs.has(id)) at(['hypotheses', index, 'scenarios', item], `no step of the plan runs scenario ${id}; the plan runs ${[...runs.keys()].join(', ') || 'no scenario'}`);
  }));
  const scenarios = steps.flatMap((step) => (step.kind === 'scenarios' ? step.scenarios : []));
  return { loaded: problems.length > 0 ? undefined : { id: content.id, file: content.absolute, plan, steps, scenarios }, problems: sortProblems(problems, [file]) };
}
