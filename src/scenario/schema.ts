// The scenario schema, assembled from the fault and probe registries (the one source of truth).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { faultRegistry } from '../faults/registry.js';
import { probeRegistry } from '../probes/registry.js';

/** A tagged union over registry definitions, in the form ajv's `discriminator` keyword reads. */
function createTaggedUnion(tag: string, schemas: TSchema[], description: string): TSchema {
  return Type.Unsafe({
    type: 'object',
    description,
    discriminator: { propertyName: tag },
    required: [tag],
    oneOf: schemas,
  });
}

const rating = (what: string) => Type.Integer({ minimum: 1, maximum: 10, description: `${what} rating, 1–10.` });

/** The FMEA row an experiment provides evidence for. */
export const FmeaLinkSchema = Type.Object({
  id: Type.String({ minLength: 1, description: 'Failure-mode id in the worksheet (e.g. SPOF-001).' }),
  component: Type.String({ minLength: 1 }),
  function: Type.Optional(Type.String()),
  failureMode: Type.String({ minLength: 1 }),
  effect: Type.String({ minLength: 1 }),
  cause: Type.String({ minLength: 1 }),
  preventionControls: Type.Optional(Type.String()),
  detectionControls: Type.Optional(Type.String()),
  severity: rating('Severity'),
  occurrence: rating('Occurrence'),
  detection: rating('Detection'),
  recommendedAction: Type.Optional(Type.String()),
  owner: Type.Optional(Type.String()),
  source: Type.Optional(Type.String({ description: 'Where the ratings come from (document and section).' })),
}, { additionalProperties: false });

/** The gate: what a run must show to pass. */
export const ExpectSchema = Type.Object({
  recovered: Type.Optional(Type.Boolean({ default: true, description: 'Every run must recover within timeoutMs.' })),
  ttdMs: Type.Optional(Type.Number({ minimum: 0, description: 'Time to detect budget; compared with the p95 over runs.' })),
  rtoMs: Type.Optional(Type.Number({ minimum: 0, description: 'Recovery time objective; compared with the p95 over runs.' })),
  dataLoss: Type.Optional(Type.Integer({ minimum: 0, description: 'Most canary items any run may lose.' })),
}, { additionalProperties: false });

/** Builds the JSON Schema of one scenario from the registries. */
export function buildScenarioSchema(): TSchema {
  const probe = createTaggedUnion('probe', [...probeRegistry.values()].map((d) => d.params), 'A probe: `probe` names its type.');
  const fault = createTaggedUnion('type', [...faultRegistry.values()].map((d) => d.params), 'The fault to inject: `type` names it.');
  return Type.Object({
    id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'Unique id, kebab-case.' }),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }), { uniqueItems: true, description: 'Labels to select scenarios with `faultline run --tag`.' })),
    target: Type.Optional(Type.String({ minLength: 1, default: 'reference', description: '"reference" (the bundled orchestrator) or a path to a target file.' })),
    fmea: Type.Optional(FmeaLinkSchema),
    steadyState: Type.Array(probe, { minItems: 1, description: 'Probes that must all pass before injection; they also define "recovered".' }),
    fault,
    expect: Type.Optional(ExpectSchema),
    runs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1, description: 'Repetitions.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000, description: 'Give up waiting for recovery after this long.' })),
    stabilizeMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, default: 1_000, description: 'Recovered = every steady-state probe passes continuously this long.' })),
    steadyStateWaitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, default: 10_000, description: 'How long to wait for the steady state before a run (abort after).' })),
    sampleIntervalMs: Type.Optional(Type.Integer({ minimum: 5, maximum: 60_000, default: 50, description: 'Default polling interval for probes without their own.' })),
  }, { additionalProperties: false, $id: 'https://faultline.dev/schemas/scenario.schema.json' });
}

/** The JSON Schema of a scenario file: one scenario or a list of them. */
export function buildScenarioFileSchema(): Record<string, unknown> {
  const scenario = buildScenarioSchema();
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://faultline.dev/schemas/scenario.schema.json',
    title: 'faultline scenario',
    description: 'One faultline failure scenario, or a list of them.',
    definitions: { scenario: { ...scenario, $id: undefined } },
    oneOf: [{ $ref: '#/definitions/scenario' }, { type: 'array', minItems: 1, items: { $ref: '#/definitions/scenario' } }],
  };
}

export type FmeaLink = Static<typeof FmeaLinkSchema>;
export type Expect = Static<typeof ExpectSchema>;
