// Shared shape of every fault's params: the type tag plus an optional label.
import { Type, type TProperties } from '@sinclair/typebox';
import { defineTaggedParams } from '../util/registry.js';

const faultBase = {
  name: Type.Optional(Type.String({ minLength: 1, description: 'Label in reports.' })),
};

/** Builds a fault params schema: `type: <fault>`, optional `name`, and the fault's own fields. */
export function defineFaultParams<T extends string, P extends TProperties>(type: T, properties: P, description: string) {
  return defineTaggedParams('type', type, faultBase, properties, description);
}
