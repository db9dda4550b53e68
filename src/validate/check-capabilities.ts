// Refuses a scenario whose fault, probes or canaries need a capability (tmux, supervisor) its target
// lacks, naming both — before a run would fail half-way on a target that cannot do what is asked.
import { dirname, resolve } from 'node:path';
import { canaryRegistry } from '../canaries/registry.js';
import { faultRegistry } from '../faults/registry.js';
import { probeRegistry } from '../probes/registry.js';
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import type { Capability } from '../targets/types.js';
import { createProblem, type Problem } from './problem.js';

/** What a target offers, as validate can tell without opening it. */
interface TargetCapabilities {
  label: string;
  capabilities: readonly Capability[];
  /** Fault types the target refuses, with why (a bundled driver's `refusals`). */
  refusals?: Readonly<Record<string, string>>;
}

/** Problems for every fault, probe or canary whose needs the scenario's target does not meet. */
export async function checkCapabilities(scenarios: readonly LocatedValue[], absoluteFiles: ReadonlyMap<string, string>): Promise<Problem[]> {
  const targets = new Map<string, Promise<TargetCapabilities | undefined>>();
  const problems: Problem[] = [];
  for (const scenario of scenarios) {
    const value = scenario.value as Record<string, unknown>;
    const spec = typeof value.target === 'string' ? value.target : 'reference';
    const { isBundledTarget } = await import('../targets/open-target.js');
    const key = isBundledTarget(spec) ? spec : resolve(dirname(absoluteFiles.get(scenario.file) ?? scenario.file), spec);
    if (!targets.has(key)) targets.set(key, readTargetCapabilities(spec, key));
    const target = await targets.get(key)!;
    // A target file that cannot be read is reported when the run opens it; here there is nothing to compare with.
    if (!target) continue;
    for (const use of listUses(value)) {
      for (const need of use.needs) {
        if (target.capabilities.includes(need)) continue;
        const path = [...scenario.path, ...use.path];
        problems.push(createProblem(scenario.file, scenario.positions.locate(path), formatDataPath(path),
          `${use.what} needs the ${need} capability, and target ${target.label} has none (it has: ${target.capabilities.join(', ') || 'only the core: home, roots, env, declared processes'})`));
      }
      const refusal = use.fault ? target.refusals?.[use.fault] : undefined;
      if (refusal) {
        const path = [...scenario.path, ...use.path];
        problems.push(createProblem(scenario.file, scenario.positions.locate(path), formatDataPath(path), `${use.what} is refused by target ${target.label}: ${refusal}`));
      }
    }
  }
  return problems;
}

// Every fault (composite steps too), probe and canary of a scenario, with what it needs.
function listUses(value: Record<string, unknown>): { what: string; path: Array<string | number>; needs: readonly Capability[]; fault?: string }[] {
  const uses: { what: string; path: Array<string | number>; needs: readonly Capability[]; fault?: string }[] = [];
  const addFault = (fault: unknown, path: Array<string | number>) => {
    const params = asRecord(fault);
    const definition = faultRegistry.get(String(params?.type));
    if (!params || !definition) return;
    uses.push({ what: `fault ${definition.type}${describeSelector(params)}`, path: [...path, 'type'], needs: [...(definition.needs ?? []), ...(definition.needsFor?.(params) ?? [])], fault: definition.type });
    if (Array.isArray(params.steps)) params.steps.forEach((step, index) => addFault(asRecord(step)?.fault, [...path, 'steps', index, 'fault']));
  };
  addFault(value.fault, ['fault']);
  const probes = Array.isArray(value.steadyState) ? value.steadyState : [];
  probes.forEach((probe, index) => {
    const definition = probeRegistry.get(String(asRecord(probe)?.probe));
    if (definition?.needs) uses.push({ what: `probe ${definition.type}`, path: ['steadyState', index, 'probe'], needs: definition.needs });
  });
  const canaries = Array.isArray(value.canaries) ? value.canaries : [];
  canaries.forEach((canary, index) => {
    const definition = canaryRegistry.get(String(asRecord(canary)?.type));
    if (definition?.needs) uses.push({ what: `canary ${definition.type}`, path: ['canaries', index, 'type'], needs: definition.needs });
  });
  return uses;
}

function describeSelector(params: Record<string, unknown>): string {
  if (params.pane !== undefined) return ` with pane:`;
  if (params.program !== undefined) return ` with program:`;
  return '';
}

async function readTargetCapabilities(spec: string, file: string): Promise<TargetCapabilities | undefined> {
  const { findBundledDriver } = await import('../targets/drivers/registry.js');
  const driver = findBundledDriver(spec);
  // A bundled target says what it offers, and which faults it refuses and why, without starting.
  if (driver?.bundled) return { label: driver.bundled.label, capabilities: [...driver.bundled.capabilities], ...(driver.refusals ? { refusals: driver.refusals } : {}) };
  try {
    const { readTargetFile } = await import('../targets/external.js');
    const target = await readTargetFile(file);
    return {
      label: `${target.name} (${spec})`,
      capabilities: [...(target.tmux ? ['tmux' as const] : []), ...(target.supervisord ? ['supervisor' as const] : [])],
    };
  } catch {
    return undefined;
  }
}

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
