// Builds live probes from a scenario's steady-state specs, with names and intervals resolved.
import { getProbeDefinition } from '../probes/registry.js';
import type { Probe } from '../probes/types.js';
import type { ProbeSpec } from '../scenario/types.js';
import type { Target } from '../targets/types.js';

/** A live probe with what reports need to name it. */
export interface NamedProbe {
  name: string;
  type: string;
  probe: Probe;
  intervalMs: number;
}

/** A readable default name: the probe type and its first subject field. */
export function getProbeName(spec: ProbeSpec): string {
  if (spec.name) return spec.name;
  const subject = Object.entries(spec).find(([key, value]) => !['probe', 'name', 'intervalMs'].includes(key) && (typeof value === 'string' || typeof value === 'number'));
  return subject ? `${spec.probe} ${String(subject[1])}` : spec.probe;
}

/** Instantiates every steady-state probe against the target. */
export function createProbeSet(specs: readonly ProbeSpec[], target: Target, defaultIntervalMs: number): NamedProbe[] {
  return specs.map((spec) => {
    const definition = getProbeDefinition(spec.probe);
    return {
      name: getProbeName(spec),
      type: spec.probe,
      probe: definition.create(spec as never, { target }),
      intervalMs: spec.intervalMs ?? definition.defaultIntervalMs ?? defaultIntervalMs,
    };
  });
}

/** Releases every probe's watchers. */
export async function closeProbeSet(probes: readonly NamedProbe[]): Promise<void> {
  await Promise.all(probes.map(async ({ probe }) => probe.close?.()));
}
