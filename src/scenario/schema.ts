// The scenario schema, assembled from the fault and probe registries (the one source of truth).
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { canaryRegistry } from '../canaries/registry.js';
import { faultRegistry } from '../faults/registry.js';
import { probeRegistry } from '../probes/registry.js';
import { RowStatusSchema } from '../fmea/schema/worksheet.js';
import { MAX_DURATION_MS, MAX_INDEX } from '../util/number-limits.js';

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
  status: Type.Optional(RowStatusSchema),
  source: Type.Optional(Type.String({ description: 'Where the ratings come from (document and section).' })),
}, { additionalProperties: false });

/** The gate: what a run must show to pass. */
export const ExpectSchema = Type.Object({
  recovered: Type.Optional(Type.Boolean({ default: true, description: 'Every run must recover within timeoutMs.' })),
  ttdMs: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_DURATION_MS, description: 'Time to detect budget; compared with the p95 over runs.' })),
  rtoMs: Type.Optional(Type.Number({ minimum: 0, maximum: MAX_DURATION_MS, description: 'Recovery time objective; compared with the p95 over runs.' })),
  dataLoss: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_INDEX, description: 'Most canary items any run may lose.' })),
}, { additionalProperties: false });

/** A line in one of the target's logs that is its own detection or repair signal, recorded beside faultline's figures. */
export const TargetSignalSpecSchema = Type.Object({
  event: Type.String({ minLength: 1, description: 'What the line means: "detect" and "repair" feed the target’s own TTD and RTO; any other name is only recorded.' }),
  path: Type.String({ minLength: 1, description: 'Log file, relative to the target home (lines appended during the run are read).' }),
  matches: Type.String({ description: 'Regular expression a signal line matches.' }),
}, { additionalProperties: false, description: 'A log.match on the target’s own log.' });

/** The JSON Schema of one probe (any registered type), as steady states and game-day stop conditions write it. */
export function buildProbeSchema(): TSchema {
  return createTaggedUnion('probe', [...probeRegistry.values()].map((d) => d.params), 'A probe: `probe` names its type.');
}

/** Builds the JSON Schema of one scenario from the registries. */
export function buildScenarioSchema(): TSchema {
  const probe = buildProbeSchema();
  const fault = createTaggedUnion('type', [...faultRegistry.values()].map((d) => d.params), 'The fault to inject: `type` names it.');
  const canary = createTaggedUnion('type', [...canaryRegistry.values()].map((d) => d.params), 'A canary: `type` names it.');
  return Type.Object({
    id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'Unique id, kebab-case.' }),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    tags: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9][a-z0-9-]*$' }), { uniqueItems: true, description: 'Labels to select scenarios with `faultline run --tag`.' })),
    target: Type.Optional(Type.String({ minLength: 1, default: 'reference', description: '"reference" (the bundled orchestrator) or a path to a target file.' })),
    fmea: Type.Optional(FmeaLinkSchema),
    claims: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$' }), { uniqueItems: true, description: 'Ids of the recovery claims (claims.yaml) this scenario tests; the report says whether each held.' })),
    steadyState: Type.Array(probe, { minItems: 1, description: 'Probes that must all pass before injection; they also define "recovered".' }),
    fault,
    canaries: Type.Optional(Type.Array(canary, { description: 'What must not be lost: items sent before, during and after the fault, reconciled after recovery (data loss, RPO).' })),
    targetSignals: Type.Optional(Type.Array(TargetSignalSpecSchema, { description: 'The target’s own detection and repair lines in its logs (besides a target file’s `signals` JSONL).' })),
    expect: Type.Optional(ExpectSchema),
    runs: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: 1, description: 'Repetitions.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 100, maximum: 3_600_000, default: 30_000, description: 'Give up waiting for recovery after this long.' })),
    stabilizeMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, default: 1_000, description: 'Recovered = every steady-state probe passes continuously this long.' })),
    steadyStateWaitMs: Type.Optional(Type.Integer({ minimum: 0, maximum: 600_000, default: 10_000, description: 'How long to wait for the steady state before a run (abort after).' })),
    sampleIntervalMs: Type.Optional(Type.Integer({ minimum: 5, maximum: 60_000, default: 50, description: 'Default polling interval for probes without their own; event-driven probes (tmux sessions and windows) re-check on every event and poll only as a fallback.' })),
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
export type TargetSignalSpec = Static<typeof TargetSignalSpecSchema>;
export type Expect = Static<typeof ExpectSchema>;
