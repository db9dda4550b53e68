// Fault names kept for older scenarios: a warning naming the replacement (the scenario still runs, exit 0).
import { faultRegistry } from '../faults/registry.js';
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import { createProblem, type Problem } from './problem.js';

/** Warns at each fault (a composite's steps included) whose type is a deprecated alias, naming what replaces it. */
export function checkDeprecatedFaults(located: LocatedValue): Problem[] {
  const warnings: Problem[] = [];
  const visit = (fault: unknown, path: Array<string | number>) => {
    if (fault === null || typeof fault !== 'object') return;
    const { type, steps } = fault as { type?: unknown; steps?: unknown };
    const replacement = typeof type === 'string' ? faultRegistry.get(type)?.deprecatedBy : undefined;
    if (replacement) {
      const at = [...located.path, ...path, 'type'];
      warnings.push(createProblem(located.file, located.positions.locate(at), formatDataPath(at), `fault type ${type as string} is deprecated: use ${replacement}`));
    }
    if (Array.isArray(steps)) steps.forEach((step: unknown, index) => visit((step as { fault?: unknown } | null)?.fault, [...path, 'steps', index, 'fault']));
  };
  visit((located.value as { fault?: unknown } | null)?.fault, ['fault']);
  return warnings;
}
