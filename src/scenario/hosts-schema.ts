// The fleet fields of a scenario: which hosts of an inventory it runs on (blast radius), in which
// batches, and how many failed hosts stop the rest — modelled on Ansible's serial / max_fail_percentage.
import { Type, type Static } from '@sinclair/typebox';

/** `hosts:` — where the scenario runs: each chosen host's agent runs it against that host's own target. */
export const HostsSchema = Type.Object({
  inventory: Type.Optional(Type.String({ minLength: 1, description: 'An Ansible inventory (INI, or YAML when it ends in .yaml/.yml), relative to the scenario file.' })),
  list: Type.Optional(Type.Array(Type.String({ minLength: 1, pattern: '^[A-Za-z0-9_.:\\[\\]@-]+$' }), { minItems: 1, maxItems: 10_000, description: 'Hosts named directly (ssh destinations, as in ~/.ssh/config), instead of an inventory.' })),
  group: Type.Optional(Type.String({ minLength: 1, default: 'all', description: 'The inventory group to choose from.' })),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, description: 'How many hosts of the group the fault touches.' })),
  percent: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 100, description: 'Or: this share of the group (rounded up, at least one host).' })),
  pick: Type.Optional(Type.Union([Type.Literal('first'), Type.Literal('random')], { default: 'first', description: 'first: in inventory order; random: a seeded shuffle (the same seed gives the same hosts in the run and in --dry-run).' })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4_294_967_295, description: 'Seed of pick: random (default: derived from the scenario id).' })),
  target: Type.Optional(Type.String({ minLength: 1, pattern: '^/', description: 'The target file on every host (absolute); default: each host’s faultline_target variable.' })),
  deadmanMs: Type.Optional(Type.Integer({ minimum: 500, maximum: 600_000, default: 10_000, description: 'A host’s agent rolls back by itself when it hears nothing from the controller this long.' })),
  connectTimeoutMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: 600_000, default: 30_000, description: 'Bound of reaching a host (ssh handshake, agent start, version check).' })),
}, { additionalProperties: false, description: 'Run the scenario on remote hosts over ssh, each through its faultline agent (see docs/fleet.md).' });

/** `serial:` — hosts per batch, as a number or "N%" of the chosen hosts; all at once without it. */
export const SerialSchema = Type.Union([Type.Integer({ minimum: 1, maximum: 10_000 }), Type.String({ pattern: '^\\d+(\\.\\d+)?%$' })], { description: 'Hosts per batch (a number or "25%"): a batch finishes before the next begins.' });

/** `maxFailures:` — failed hosts tolerated; once more have failed, the remaining batches are not attempted. */
export const MaxFailuresSchema = Type.Integer({ minimum: 0, maximum: 10_000, description: 'Failed hosts tolerated (not recovered, error, connection lost): once more have failed, later batches are not attempted.' });

export type HostsSpec = Static<typeof HostsSchema>;
