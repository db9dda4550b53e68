// Shared shape of every probe's params: the type tag plus sampling options.
import { Type, type TProperties } from '@sinclair/typebox';
import { defineTaggedParams } from '../util/registry.js';

const probeBase = {
  name: Type.Optional(Type.String({ minLength: 1, description: 'Label in reports (default: the probe type and its subject).' })),
  intervalMs: Type.Optional(Type.Integer({ minimum: 5, maximum: 60_000, description: 'Polling interval for this probe, in ms (for event-driven probes: the fallback poll).' })),
  events: Type.Optional(Type.Boolean({ description: 'Re-check on events from the probe’s source (tmux control mode, fs.watch) where it has one (default true); false = poll only.' })),
};

/** Builds a probe params schema: `probe: <type>`, optional `name`, `intervalMs` and `events`, and the probe's own fields. */
export function defineProbeParams<T extends string, P extends TProperties>(type: T, properties: P, description: string) {
  return defineTaggedParams('probe', type, probeBase, properties, description);
}
