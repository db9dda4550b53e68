// The one registry kit for faults, probes, canaries and target drivers: a name → entry map whose
// unknown names fail listing the valid ones, the tagged params schema every entry starts with, and
// the one place a definition's params are narrowed from `unknown` to its own type.
import { Type, type TLiteral, type TObject, type TProperties } from '@sinclair/typebox';
import { InputError } from '../errors.js';

/** A read-only map of entries by name (`K`, the union of registered names) that refuses unknown names. */
export interface Registry<K extends string, V> extends ReadonlyMap<string, V> {
  /** The registered names, in registration order (what tests and help texts list). */
  readonly names: readonly K[];
  /** Whether a name is registered; narrows it to the name union. */
  has(name: string): name is K;
  /** The entry of a name, or an InputError whose hint lists the valid names. */
  require(name: string): V;
}

/** Creates a registry of `entries` keyed by `keyOf`; `what` names an entry in messages ("fault type"). Two entries of one name are a bug. */
export function createRegistry<V, K extends string>(what: string, entries: readonly V[], keyOf: (entry: V) => K): Registry<K, V> {
  const map = new Map<string, V>();
  for (const entry of entries) {
    const name = keyOf(entry);
    if (map.has(name)) throw new Error(`two ${what}s are named "${name}"`);
    map.set(name, entry);
  }
  const names = [...map.keys()] as K[];
  const require = (name: string): V => {
    const entry = map.get(name);
    if (entry === undefined) throw new InputError(`Unknown ${what} "${name}"`, { hint: `valid ${what}s: ${names.join(', ')}` });
    return entry;
  };
  // Map's own has() is the predicate; only names and require are added.
  return Object.assign(map, { names, require }) as unknown as Registry<K, V>;
}

/** The tag field of an entry's params (`type: process.kill`, `probe: tmux.session`) as a schema property. */
export type TaggedProperties<F extends string, T extends string> = { [key in F]: TLiteral<T> };

/** The one params builder: `<field>: <tag>`, the family's shared fields, then the entry's own; no other field is allowed. */
export function defineTaggedParams<F extends string, T extends string, B extends TProperties, P extends TProperties>(
  field: F, tag: T, base: B, properties: P, description: string,
): TObject<TaggedProperties<F, T> & B & P> {
  return Type.Object({ [field]: Type.Literal(tag), ...base, ...properties } as TaggedProperties<F, T> & B & P, { additionalProperties: false, description });
}

/**
 * Narrows `params` to the type a definition declared, refusing params tagged for another entry. The
 * full schema was checked where the params came in (validate and the scenario loader; the ledger
 * stores what they accepted), so the tag is what is left to check; this cast is the only one, and
 * it is why call sites pass their params as they are.
 */
export function narrowParams<P>(field: string, tag: string, params: unknown): P {
  const value = typeof params === 'object' && params !== null ? (params as Record<string, unknown>)[field] : undefined;
  if (value !== tag) throw new InputError(`params for ${field} ${tag} have ${field} ${JSON.stringify(value) ?? 'missing'}`, { hint: `the params of ${tag} start with ${field}: ${tag}` });
  return params as P;
}
