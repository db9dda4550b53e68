// The game-day plan (gameday.yaml): the one source of truth for its JSON Schema and its types.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { buildProbeSchema } from '../scenario/schema.js';
import type { ProbeSpec } from '../scenario/types.js';
import { MAX_DURATION_MS } from '../util/number-limits.js';

const idPattern = '^[a-z0-9]+(-[a-z0-9]+)*$';

/** A person in a role: a name, and how to reach them during the game day. */
export const PersonSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  contact: Type.Optional(Type.String({ minLength: 1, description: 'E-mail, phone or chat handle.' })),
}, { additionalProperties: false });

/** Who runs the game day (the roles Gremlin's and AWS's game-day guides name). */
export const RolesSchema = Type.Object({
  owner: Type.Optional(PersonSchema),
  coordinator: Type.Optional(PersonSchema),
  reporter: Type.Optional(PersonSchema),
  observers: Type.Optional(Type.Array(PersonSchema)),
}, { additionalProperties: false, description: 'Owner of the system, coordinator who runs the day, reporter who keeps notes, observers.' });

/** A hypothesis the game day tests, tied to the scenarios whose results decide it. */
export const HypothesisSchema = Type.Object({
  id: Type.String({ pattern: idPattern, description: 'Unique within the plan, kebab-case.' }),
  statement: Type.String({ minLength: 1, description: 'What the team expects to hold, in its own words.' }),
  scenarios: Type.Array(Type.String({ pattern: idPattern }), { minItems: 1, uniqueItems: true, description: 'Ids of the scenarios (run by the steps) whose verdicts decide the hypothesis: it holds when every one passes.' }),
}, { additionalProperties: false });

/** A manual step: a human acts (recovers by hand, confirms an observation) and says so. */
export const ManualStepSchema = Type.Object({
  instruction: Type.String({ minLength: 1, description: 'What the human does; shown in the terminal and on the dashboard.' }),
  timeoutMs: Type.Optional(Type.Integer({ minimum: 1_000, maximum: MAX_DURATION_MS, default: 1_800_000, description: 'How long to wait for `faultline gameday continue` (or the dashboard button).' })),
  onTimeout: Type.Optional(Type.Union([Type.Literal('halt'), Type.Literal('continue')], { default: 'halt', description: 'halt: the game day stops (exit 3); continue: the step is recorded as timed out and the next one starts.' })),
}, { additionalProperties: false });

/** One step of the plan: exactly one of scenario, tag, pauseMs, manual. */
export const StepSchema = Type.Unsafe<{ name?: string; scenario?: string; tag?: string; from?: string; pauseMs?: number; manual?: Static<typeof ManualStepSchema> }>({
  type: 'object',
  description: 'A step: `scenario` (a file or folder, relative to the plan), `tag` (the scenarios with that tag under `from`), `pauseMs`, or `manual`.',
  properties: {
    name: { type: 'string', minLength: 1, description: 'Shown on the timeline; defaults to what the step does.' },
    scenario: { type: 'string', minLength: 1, description: 'A scenario file or folder, relative to the plan file.' },
    tag: { type: 'string', pattern: '^[a-z0-9][a-z0-9-]*$', description: 'Run the scenarios with this tag.' },
    from: { type: 'string', minLength: 1, description: 'Where `tag` looks: a folder relative to the plan file (default: the plan’s folder).' },
    pauseMs: { type: 'integer', minimum: 0, maximum: MAX_DURATION_MS, description: 'Wait this long (the system settles, people look).' },
    manual: ManualStepSchema,
  },
  additionalProperties: false,
  oneOf: [{ required: ['scenario'] }, { required: ['tag'] }, { required: ['pauseMs'] }, { required: ['manual'] }],
});

/** The days of the week in order, Monday first. */
export const dayNames = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

/** Days of the week, as the window names them. */
export const DaySchema = Type.Union(dayNames.map((day) => Type.Literal(day)));

const clockTime = Type.String({ pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$', description: 'HH:MM, 24-hour, in the window’s time zone.' });

/** When a game day may run: a run started outside it is skipped (and recorded as skipped). */
export const WindowSchema = Type.Object({
  days: Type.Optional(Type.Array(DaySchema, { minItems: 1, uniqueItems: true, description: 'Days the window opens on (default: every day); with hours spanning midnight, the hours after midnight belong to the day before.' })),
  hours: Type.Optional(Type.Object({ from: clockTime, to: clockTime }, { additionalProperties: false, description: 'Start times allowed: from ≤ time < to; `to` before `from` spans midnight; from = to is refused (an empty window).' })),
  timezone: Type.Optional(Type.String({ minLength: 1, default: 'UTC', description: 'IANA time zone of days and hours (e.g. Europe/Berlin).' })),
}, { additionalProperties: false });

/** When the host's scheduler starts the plan (`faultline schedule install`). */
export const ScheduleSchema = Type.Object({
  cron: Type.String({ minLength: 1, description: 'Five-field cron expression (minute hour day-of-month month day-of-week).' }),
  timezone: Type.Optional(Type.String({ minLength: 1, default: 'UTC', description: 'IANA time zone the cron expression is evaluated in.' })),
  concurrency: Type.Optional(Type.Literal('forbid', { default: 'forbid', description: 'A start while the previous run is still going is skipped (one run per target).' })),
  randomDelayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_DURATION_MS, default: 0, description: 'Up to this much random delay before each start (spreads plans that share a time).' })),
}, { additionalProperties: false });

// The plan's shape around a probe schema, so the type follows the schema and the probe union comes from the registry.
function createPlanSchema(probe: TSchema) {
  return Type.Object({
    $schema: Type.Optional(Type.String()),
    kind: Type.Literal('gameday', { description: 'Marks the file as a game-day plan, so scenario folders can hold it (`faultline run` skips it).' }),
    version: Type.Optional(Type.Literal(1)),
    id: Type.Optional(Type.String({ pattern: idPattern, description: 'Names the plan in the history and schedules (default: the file name).' })),
    title: Type.String({ minLength: 1 }),
    objective: Type.String({ minLength: 1, description: 'What the game day is for.' }),
    target: Type.Optional(Type.String({ minLength: 1, default: 'reference', description: '"reference" (or another bundled target such as webstack) or a target file relative to the plan; every scenario the plan runs must name the same target.' })),
    roles: Type.Optional(RolesSchema),
    hypotheses: Type.Optional(Type.Array(HypothesisSchema)),
    steps: Type.Array(StepSchema, { minItems: 1, maxItems: 200, description: 'Run in order.' }),
    stopConditions: Type.Optional(Type.Array(Type.Unsafe<ProbeSpec>(probe), { description: 'Probes checked every `stopConditionIntervalMs` for the whole game day; when one fails, the current scenario rolls back and the game day halts (exit 3).' })),
    stopConditionIntervalMs: Type.Optional(Type.Integer({ minimum: 50, maximum: 600_000, default: 1_000, description: 'How often stop conditions are checked.' })),
    window: Type.Optional(WindowSchema),
    schedule: Type.Optional(ScheduleSchema),
  }, {
    $id: 'https://faultline.dev/schemas/gameday.schema.json',
    title: 'faultline game-day plan',
    description: 'A game day: objective, roles, hypotheses, ordered steps (scenarios, pauses, manual steps), stop conditions, an allowed window and a schedule.',
    additionalProperties: false,
  });
}

/** Builds the JSON Schema of a plan file (the probe union comes from the probe registry). */
export function buildPlanSchema(): ReturnType<typeof createPlanSchema> {
  return createPlanSchema(buildProbeSchema());
}

/** A plan as written in gameday.yaml (before defaults). */
export type PlanFile = Static<ReturnType<typeof createPlanSchema>>;
export type Person = Static<typeof PersonSchema>;
export type Roles = Static<typeof RolesSchema>;
export type Hypothesis = Static<typeof HypothesisSchema>;
export type ManualStepSpec = Static<typeof ManualStepSchema>;
export type StepSpec = Static<typeof StepSchema>;
export type Day = Static<typeof DaySchema>;
export type PlanWindow = Static<typeof WindowSchema>;
export type PlanSchedule = Static<typeof ScheduleSchema>;
