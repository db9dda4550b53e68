// Shared shape of every probe's params: the type tag plus sampling options.
import { Type, type TProperties, type TObject, type TLiteral, type TOptional, type TString, type TInteger, type TBoolean } from '@sinclair/typebox';

type ProbeBase<T extends string> = {
  probe: TLiteral<T>;
  name: TOptional<TString>;
  intervalMs: TOptional<TInteger>;
  events: TOptional<TBoolean>;
};

/** Builds a probe params schema: `probe: <type>`, optional `name`, `intervalMs` and `events`, and the probe's own fields. */
export function defineProbeParams<T extends string, P extends TProperties>(type: T, properties: P, description: string): TObject<ProbeBase<T> & P> {
  return Type.Object(
    {
      probe: Type.Literal(type),
      name: Type.Optional(Type.String({ minLength: 1, description: 'Label in reports (default: the probe type and its subject).' })),
      intervalMs: Type.Optional(Type.Integer({ minimum: 5, maximum: 60_000, description: 'Polling interval for this probe, in ms (for event-driven probes: the fallback poll).' })),
      events: Type.Optional(Type.Boolean({ description: 'Re-check on events from the probe’s source (tmux control mode, fs.watch) where it has one (default true); false = poll only.' })),
      ...properties,
    } as ProbeBase<T> & P,
    { additionalProperties: false, description },
  );
}
