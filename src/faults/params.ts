// Shared shape of every fault's params: the type tag plus an optional label.
import { Type, type TProperties, type TObject, type TLiteral, type TOptional, type TString } from '@sinclair/typebox';

type FaultBase<T extends string> = {
  type: TLiteral<T>;
  name: TOptional<TString>;
};

/** Builds a fault params schema: `type: <fault>`, optional `name`, and the fault's own fields. */
export function defineFaultParams<T extends string, P extends TProperties>(type: T, properties: P, description: string): TObject<FaultBase<T> & P> {
  return Type.Object(
    {
      type: Type.Literal(type),
      name: Type.Optional(Type.String({ minLength: 1, description: 'Label in reports.' })),
      ...properties,
    } as FaultBase<T> & P,
    { additionalProperties: false, description },
  );
}
