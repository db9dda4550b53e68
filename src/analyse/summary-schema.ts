// The schema of summary.json (DESIGN §6): a contract external tools read. Types derive from it.
import { Type, type Static } from '@sinclair/typebox';

const Nullable = <T extends ReturnType<typeof Type.Number>>(schema: T) => Type.Union([schema, Type.Null()]);
const Ms = (description: string) => Type.Number({ minimum: 0, description });

export const PercentilesSchema = Type.Object({
  p50: Type.Number(),
  p95: Type.Number(),
  max: Type.Number(),
}, { additionalProperties: false });

export const TargetSignalSchema = Type.Object({
  t: Type.Number({ description: 'Epoch ms of the target’s own event.' }),
  offsetMs: Type.Number({ description: 'Milliseconds after t0 (negative = before).' }),
  event: Type.String(),
  component: Type.Optional(Type.String()),
  subject: Type.Optional(Type.String()),
  detail: Type.Optional(Type.String()),
});

export const RunSummarySchema = Type.Object({
  index: Type.Integer({ minimum: 1 }),
  status: Type.Union([Type.Literal('completed'), Type.Literal('aborted'), Type.Literal('error')], { description: 'aborted = nothing measured (steady state not met, interrupted); error = faultline could not run it.' }),
  recovered: Type.Boolean(),
  detected: Type.Boolean({ description: 'A steady-state probe failed after t0.' }),
  ttdMs: Nullable(Ms('Time to detect: t0 to the first failed probe; null when nothing noticed the fault.')),
  rtoMs: Nullable(Ms('Time to recover: t0 to the start of the stable all-pass window; null when not recovered.')),
  resolutionMs: Ms('Uncertainty of ttdMs and rtoMs: polling interval plus probe latency.'),
  timeoutMs: Ms('How long recovery was waited for.'),
  detectedBy: Type.Union([Type.String(), Type.Null()]),
  t0: Type.Union([Type.Number(), Type.Null()], { description: 'Epoch ms when the fault was in effect.' }),
  steadyStateProbes: Type.Integer({ minimum: 0 }),
  probesFailed: Type.Integer({ minimum: 0, description: 'Distinct steady-state probes that failed after t0.' }),
  dataLoss: Type.Union([Type.Object({
    lost: Type.Integer({ minimum: 0 }),
    sent: Type.Integer({ minimum: 0 }),
    window: Type.Optional(Type.Union([Type.Object({ fromMs: Type.Number(), toMs: Type.Number() }), Type.Null()])),
  }), Type.Null()], { description: 'null when the scenario has no canaries.' }),
  rollback: Type.Union([Type.Object({ ok: Type.Boolean(), detail: Type.String() }), Type.Null()], { description: 'null when no fault was injected.' }),
  targetSignals: Type.Array(TargetSignalSchema, { description: 'The target’s own detections and repairs (e.g. the healer’s events).' }),
  reason: Type.Optional(Type.String({ description: 'Why the run aborted or failed.' })),
});

export const CheckSchema = Type.Object({
  name: Type.String(),
  expected: Type.String(),
  measured: Type.String(),
  status: Type.Union([Type.Literal('met'), Type.Literal('not met'), Type.Literal('untested')]),
});

export const FmeaSummarySchema = Type.Object({
  id: Type.String(),
  component: Type.String(),
  failureMode: Type.String(),
  effect: Type.String(),
  cause: Type.String(),
  severity: Type.Integer({ minimum: 1, maximum: 10 }),
  occurrence: Type.Integer({ minimum: 1, maximum: 10 }),
  detection: Type.Integer({ minimum: 1, maximum: 10 }),
  rpn: Type.Integer({ minimum: 1, maximum: 1000 }),
  ap: Type.Union([Type.Literal('H'), Type.Literal('M'), Type.Literal('L')]),
});

export const ScenarioSummarySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  file: Type.String(),
  verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('aborted'), Type.Literal('error')]),
  fault: Type.Object({ type: Type.String() }, { additionalProperties: true }),
  resolutionMs: Ms('Worst resolution over the runs.'),
  steadyStateProbes: Type.Integer({ minimum: 0 }),
  expect: Type.Object({
    recovered: Type.Optional(Type.Boolean()),
    ttdMs: Type.Optional(Type.Number()),
    rtoMs: Type.Optional(Type.Number()),
    dataLoss: Type.Optional(Type.Integer()),
  }),
  checks: Type.Array(CheckSchema),
  fmea: Type.Union([FmeaSummarySchema, Type.Null()]),
  runs: Type.Array(RunSummarySchema),
  stats: Type.Object({
    ttdMs: Type.Union([PercentilesSchema, Type.Null()]),
    rtoMs: Type.Union([PercentilesSchema, Type.Null()]),
    recovered: Type.Integer({ minimum: 0, description: 'Runs that recovered.' }),
    completed: Type.Integer({ minimum: 0, description: 'Runs that completed (not aborted).' }),
  }),
});

export const SummarySchema = Type.Object({
  $schema: Type.Optional(Type.String()),
  schemaVersion: Type.Literal(1),
  runId: Type.String(),
  verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('aborted'), Type.Literal('rollback-failed')]),
  exitCode: Type.Integer({ minimum: 0, maximum: 4 }),
  startedAt: Type.String({ format: 'date-time' }),
  finishedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Number({ minimum: 0 }),
  options: Type.Object({ heal: Type.Boolean(), gate: Type.Boolean(), healDelayMs: Type.Optional(Type.Number()) }),
  environment: Type.Object({
    faultline: Type.String(),
    node: Type.String(),
    host: Type.String(),
    platform: Type.String(),
    tmux: Type.Optional(Type.String()),
  }),
  targets: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  scenarios: Type.Array(ScenarioSummarySchema),
}, { $id: 'https://faultline.dev/schemas/summary.schema.json', title: 'faultline run summary' });

export type RunSummary = Static<typeof RunSummarySchema>;
export type ScenarioSummary = Static<typeof ScenarioSummarySchema>;
export type Summary = Static<typeof SummarySchema>;
export type Check = Static<typeof CheckSchema>;
export type FmeaSummary = Static<typeof FmeaSummarySchema>;
export type TargetSignal = Static<typeof TargetSignalSchema>;
