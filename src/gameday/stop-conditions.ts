// A plan's stop conditions, checked all along while a target is open: the first failure halts the game
// day (the current fault rolls back, nothing more runs), as Gremlin's health checks and FIS stop conditions do.
import type { ProbeSpec } from '../scenario/types.js';
import type { TargetHandle } from '../targets/types.js';
import { closeProbeSet, createProbeSet } from '../run/probe-set.js';
import { takeSample } from '../measure/sampler.js';
import type { RunSession } from '../run/run-session.js';

/** Starts checking `specs` against the open target every `intervalMs`; returns the function that stops it. */
export function watchStopConditions(session: RunSession, handle: TargetHandle, specs: readonly ProbeSpec[], intervalMs: number): () => Promise<void> {
  if (specs.length === 0) return async () => {};
  const probes = createProbeSet(specs, handle.target, intervalMs);
  const last = new Map<string, boolean>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let checking: Promise<void> = Promise.resolve();
  const check = async () => {
    const samples = await Promise.all(probes.map(({ probe }, index) => takeSample(probe, index)));
    if (stopped) return;
    for (const sample of samples) {
      const name = probes[sample.probe]!.name;
      if (last.get(name) !== sample.ok) session.events.emit('stop-condition', { probe: name, ok: sample.ok, ...(sample.detail ? { detail: sample.detail } : {}) });
      last.set(name, sample.ok);
      if (!sample.ok) session.halt('a stop condition', `${name} failed${sample.detail ? `: ${sample.detail}` : ''}`);
    }
  };
  const loop = () => {
    checking = check().catch((error: unknown) => session.halt('a stop condition', `${String(error)}`)).finally(() => {
      if (!stopped) timer = setTimeout(loop, intervalMs);
    });
  };
  loop();
  return async () => {
    stopped = true;
    if (timer) clearTimeout(timer);
    await checking;
    await closeProbeSet(probes);
  };
}
