// Builds live probes from a scenario's steady-state specs, with names, intervals and event sources resolved.
import { ProbeSources } from '../measure/sources/probe-sources.js';
import type { MeasuredProbe } from '../measure/measure-recovery.js';
import { getProbeDefinition } from '../probes/registry.js';
import type { ProbeSpec } from '../scenario/types.js';
import type { Target } from '../targets/types.js';

/** A live probe with what reports need to name it; probes of one set share `sources`. */
export interface NamedProbe extends MeasuredProbe {
  sources: ProbeSources;
}

const COMMON_FIELDS = ['probe', 'name', 'intervalMs', 'events'];

/** A readable default name: the probe type and its first subject field. */
export function getProbeName(spec: ProbeSpec): string {
  if (spec.name) return spec.name;
  const subject = Object.entries(spec).find(([key, value]) => !COMMON_FIELDS.includes(key) && (typeof value === 'string' || typeof value === 'number'));
  return subject ? `${spec.probe} ${String(subject[1])}` : spec.probe;
}

/**
 * Instantiates every steady-state probe against the target. The interval is the probe's own
 * `intervalMs`, else — with its events on and a source that announces every change — the
 * definition's slow fallback poll, else the instance's or definition's default, else the scenario's.
 */
export function createProbeSet(specs: readonly ProbeSpec[], target: Target, defaultIntervalMs: number): NamedProbe[] {
  const sources = new ProbeSources(target);
  return specs.map((spec) => {
    const definition = getProbeDefinition(spec.probe);
    const probe = definition.create(spec, { target, sources });
    const events = spec.events !== false && probe.watch !== undefined;
    const fallback = events ? definition.eventFallbackMs : undefined;
    return {
      name: getProbeName(spec),
      type: spec.probe,
      probe,
      events,
      intervalMs: spec.intervalMs ?? fallback ?? probe.defaultIntervalMs ?? definition.defaultIntervalMs ?? defaultIntervalMs,
      sources,
    };
  });
}

/** Releases every probe's watchers and the set's shared sources (the tmux control client). */
export async function closeProbeSet(probes: readonly NamedProbe[]): Promise<void> {
  await Promise.all(probes.map(async ({ probe }) => probe.close?.()));
  await Promise.all([...new Set(probes.map((probe) => probe.sources))].map((sources) => sources.close()));
}
