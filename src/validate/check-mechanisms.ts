// Faults whose mechanism depends on the host (network faults need nftables): refused by validate when
// this host offers none, naming what to install — before a run gets as far as planning them.
import { faultRegistry } from '../faults/registry.js';
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import { createProblem, type Problem } from './problem.js';

/** One problem per fault (a composite's steps included) whose mechanism this host cannot provide. */
export async function checkFaultMechanisms(located: LocatedValue): Promise<Problem[]> {
  const problems: Problem[] = [];
  const visit = async (fault: unknown, path: Array<string | number>) => {
    if (fault === null || typeof fault !== 'object') return;
    const { type, steps } = fault as { type?: unknown; steps?: unknown };
    const choose = typeof type === 'string' ? faultRegistry.get(type)?.chooseMechanism : undefined;
    const choice = choose ? await choose() : undefined;
    if (choice && !choice.available) {
      const at = [...located.path, ...path, 'type'];
      problems.push(createProblem(located.file, located.positions.locate(at), formatDataPath(at), `no mechanism available for ${type as string} on this host: ${choice.refusal ?? choice.mechanism}`));
    }
    if (Array.isArray(steps)) {
      for (const [index, step] of steps.entries()) await visit((step as { fault?: unknown } | null)?.fault, [...path, 'steps', index, 'fault']);
    }
  };
  await visit((located.value as { fault?: unknown } | null)?.fault, ['fault']);
  return problems;
}
