// Shared shape of every canary's params: the type tag plus how many items to send and how fast.
import { Type, type TProperties } from '@sinclair/typebox';
import { defineTaggedParams } from '../util/registry.js';

const canaryBase = {
  name: Type.Optional(Type.String({ minLength: 1, description: 'Label in reports (default: the canary type and its subject).' })),
  count: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 10, description: 'Items sent in each phase: before the fault, during it (from t0) and after recovery.' })),
  intervalMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, default: 20, description: 'Pause between two items of a phase.' })),
  settleMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 60_000, default: 300, description: 'Wait after the last item before reading back what the target kept.' })),
};

/** Builds a canary params schema: `type: <name>`, the sending options, and the canary's own fields. */
export function defineCanaryParams<T extends string, P extends TProperties>(type: T, properties: P, description: string) {
  return defineTaggedParams('type', type, canaryBase, properties, description);
}
