// Checks of a schema-valid scenario that need more than one field at a time: params of a probe that
// contradict each other (the probe's own checkParams), and a composite whose steps outlast timeoutMs.
import { getProbeDefinition } from '../probes/registry.js';
import { applyScenarioDefaults } from '../scenario/defaults.js';
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import { createProblem, type Problem } from './problem.js';
import { getScenarioSchema } from './scenario-validator.js';

interface StepValue {
  delayMs?: number;
}

/** Problems of one scenario that already passed the schema. */
export function checkScenarioParams(scenario: LocatedValue): Problem[] {
  const value = applyScenarioDefaults(scenario.value as Record<string, unknown>, getScenarioSchema());
  const problem = (path: Array<string | number>, message: string) =>
    createProblem(scenario.file, scenario.positions.locate([...scenario.path, ...path]), formatDataPath([...scenario.path, ...path]), message);
  const problems: Problem[] = [];
  const probes = (value.steadyState ?? []) as Array<{ probe: string } & Record<string, unknown>>;
  probes.forEach((params, index) => {
    const found = getProbeDefinition(params.probe).checkParams?.(params);
    if (found) problems.push(problem(['steadyState', index, found.field], found.message));
  });
  const fault = value.fault as { type: string; steps?: StepValue[] };
  if (fault.type === 'composite' && fault.steps) {
    const delays = fault.steps.reduce((sum, step) => sum + (step.delayMs ?? 0), 0);
    const { timeoutMs, stabilizeMs } = value as { timeoutMs: number; stabilizeMs: number };
    if (delays + stabilizeMs >= timeoutMs) {
      problems.push(problem(['timeoutMs'], `expected more than the steps' delays plus stabilizeMs (${delays} + ${stabilizeMs} ms); got ${timeoutMs}: recovery is only declared after the last step, so this run could never recover in time`));
    }
  }
  return problems;
}
