// The schema of summary.json: a contract external tools read. Types derive from it.
import { Type, type Static } from '@sinclair/typebox';
import { RowStatusSchema } from '../fmea/schema/worksheet.js';

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

// How a figure's window is found, shared by the descriptions of both resolutions.
const WINDOW_RULE = 'Each figure is the end of a window that must hold the moment it names. The window opens at the start of the previous check of that probe (it still saw the old state), raised — only when the event source was attached and delivering every change without a break since that check (a tmux control client cannot attach to a server with no session; then a session-less control client announces the next session) — to the first event’s arrival minus the source’s delivery bound, or to a deadline the probe knew in advance (a heartbeat turning stale); it closes at the end of the first check that saw the new state, or, when a notification names the change itself (that window’s %window-close or %window-add), at that notification’s arrival. Delivery bound: tmux, the slowest recent control-mode round trip (at least 5 ms) plus the time the tmux server, the control client and faultline waited for a CPU meanwhile (/proc/<pid>/schedstat); fs.watch, 2 ms.';

export const LossWindowSchema = Type.Object({
  fromMs: Type.Number({ description: 'Offset from t0 of the first lost item’s send.' }),
  toMs: Type.Number({ description: 'Offset from t0 of the last lost item’s send.' }),
}, { additionalProperties: false });

export const CanaryLossSchema = Type.Object({
  name: Type.String(),
  type: Type.String(),
  sent: Type.Integer({ minimum: 0, description: 'Items the target accepted (tmux took the keys, the append succeeded, the write command exited 0).' }),
  lost: Type.Integer({ minimum: 0, description: 'Accepted items missing from what the target kept.' }),
  rejected: Type.Integer({ minimum: 0, description: 'Items the target refused at send time (the sender knew; not counted as lost).' }),
  window: Type.Union([LossWindowSchema, Type.Null()]),
  lostSeqs: Type.Array(Type.Integer({ minimum: 1 }), { description: 'Sequence numbers of lost items (the first 100).' }),
  phases: Type.Array(Type.Object({
    phase: Type.Union([Type.Literal('before'), Type.Literal('during'), Type.Literal('after')]),
    sent: Type.Integer({ minimum: 0 }),
    lost: Type.Integer({ minimum: 0 }),
    rejected: Type.Integer({ minimum: 0 }),
  })),
});

export const DataLossSchema = Type.Object({
  lost: Type.Integer({ minimum: 0, description: 'Items accepted by the target but missing afterwards, over all canaries.' }),
  sent: Type.Integer({ minimum: 0, description: 'Items accepted by the target.' }),
  rejected: Type.Optional(Type.Integer({ minimum: 0, description: 'Items refused at send time.' })),
  window: Type.Optional(Type.Union([LossWindowSchema, Type.Null()], { description: 'When the lost items were sent, relative to t0; null when none was lost.' })),
  canaries: Type.Optional(Type.Array(CanaryLossSchema)),
});

export const ProbeSamplingSchema = Type.Object({
  probe: Type.String(),
  type: Type.String(),
  mode: Type.Union([Type.Literal('events'), Type.Literal('poll')], { description: 'events = re-checked at once on its source’s events, with a fallback poll every intervalMs.' }),
  intervalMs: Type.Number({ minimum: 0 }),
  samples: Type.Integer({ minimum: 0 }),
  eventSamples: Type.Integer({ minimum: 0, description: 'Samples taken because an event announced a change.' }),
  maxLatencyMs: Type.Number({ minimum: 0, description: 'Slowest single check.' }),
});

export const ProbeOutageSchema = Type.Object({
  probe: Type.String(),
  failedAtMs: Type.Number({ description: 'Ms after t0 of the first failed check (its window reaches back failedResolutionMs).' }),
  failedResolutionMs: Type.Number({ minimum: 0 }),
  restoredAtMs: Type.Union([Type.Number(), Type.Null()], { description: 'Ms after t0 of the first check that passed again (for etcd.leader: the election time, fault to new leader seen); null when it never passed again in the run.' }),
  restoredResolutionMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'Width of the window in which it passed again, the inject step included.' }),
  unavailableMs: Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'From the earliest the failure can have begun to the check that passed again: an upper bound of the outage (for etcd.write: write unavailability).' }),
}, { additionalProperties: false });

export const RunSummarySchema = Type.Object({
  index: Type.Integer({ minimum: 1 }),
  status: Type.Union([Type.Literal('completed'), Type.Literal('aborted'), Type.Literal('skipped'), Type.Literal('error')], { description: 'aborted = nothing measured (steady state not met before any fault acted, interrupted); skipped = not run because an earlier run or scenario left the target broken (see reason); error = faultline could not run it.' }),
  recovered: Type.Boolean(),
  detected: Type.Boolean({ description: 'A steady-state probe failed after t0.' }),
  ttdMs: Nullable(Ms('Time to detect: t0 to the first probe failure — the end of the window in which it began (see ttdResolutionMs); 0 when the failure was already there at t0; null when nothing noticed the fault.')),
  rtoMs: Nullable(Ms('Time to recover: t0 to the moment every steady-state probe passed again — the end of its window (see rtoResolutionMs) — for the all-pass streak that then lasted stabilizeMs; null when not recovered within timeoutMs.')),
  resolutionMs: Ms('The wider of ttdResolutionMs and rtoResolutionMs; when neither figure exists, the worst case of the probes (polling interval plus probe latency).'),
  ttdResolutionMs: Type.Optional(Type.Union([Ms(`Width of the window in which the failure began: it began at most this much before ttdMs, and not before t0. ${WINDOW_RULE}`), Type.Null()])),
  rtoResolutionMs: Type.Optional(Type.Union([Ms(`Width of the window in which the last failing probe passed again: the recovery happened at most this much before rtoMs (the latest of the probes’ own windows). ${WINDOW_RULE}`), Type.Null()])),
  timeoutMs: Ms('How long recovery was waited for.'),
  detectedBy: Type.Union([Type.String(), Type.Null()]),
  t0: Type.Union([Type.Number(), Type.Null()], { description: 'Epoch ms the figures count from: when inject began (= inject.startedAt). The fault acted within [inject.startedAt, inject.returnedAt]; ttdMs and rtoMs count from its start (never less than the truth), and their resolutions include the whole bracket.' }),
  inject: Type.Optional(Type.Union([Type.Object({
    startedAt: Type.Number({ description: 'Epoch ms when the inject step began.' }),
    returnedAt: Type.Number({ description: 'Epoch ms when the inject step returned (sampling starts then).' }),
    durationMs: Ms('How long inject took: the fault acted somewhere in this bracket.'),
  }, { additionalProperties: false }), Type.Null()], { description: 'Both ends of the inject step; null when nothing was injected.' })),
  inEffectMs: Type.Optional(Type.Union([Ms('From t0 until the whole fault was verified in effect (a composite: its last step); recovery is not declared, nor dated, before it.'), Type.Null()], { description: 'null when the fault was still being put in place when the run ended.' })),
  steadyStateProbes: Type.Integer({ minimum: 0 }),
  probesFailed: Type.Integer({ minimum: 0, description: 'Distinct steady-state probes that failed after t0.' }),
  dataLoss: Type.Union([DataLossSchema, Type.Null()], { description: 'null when the scenario has no canaries.' }),
  rollback: Type.Union([Type.Object({ ok: Type.Boolean(), detail: Type.String() }), Type.Null()], { description: 'null when no fault was injected.' }),
  targetSignals: Type.Array(TargetSignalSchema, { description: 'The target’s own detections and repairs (e.g. the healer’s events).' }),
  targetTtdMs: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'The target’s own time to detect: t0 to its first "detect" signal (slightly negative when it noticed while the fault was being injected); null when it signalled none.' })),
  targetRtoMs: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'The target’s own time to repair: t0 to its last "repair" signal since inject began and before the stable window ended (or before the run ended, when not recovered); slightly negative when it repaired before inject returned; null when it signalled none.' })),
  sampling: Type.Optional(Type.Array(ProbeSamplingSchema, { description: 'How each steady-state probe was sampled after t0.' })),
  probeOutages: Type.Optional(Type.Array(ProbeOutageSchema, { description: 'Each steady-state probe that failed after t0: when it failed and when it passed again (its own outage, beside the run’s TTD and RTO).' })),
  reason: Type.Optional(Type.String({ description: 'Why the run was skipped, aborted or failed, or did not recover (e.g. "target left broken by orchestrator-session-killed run 1").' })),
  host: Type.Optional(Type.String({ description: 'The remote host this run ran on (a fleet scenario), through its faultline agent.' })),
  clock: Type.Optional(Type.Object({
    offsetMs: Type.Number({ description: 'The host’s clock minus the controller’s, measured at connect; the run’s epoch times (t0, inject, targetSignals) are given on the controller’s clock.' }),
    uncertaintyMs: Ms('Half the best round trip of the offset measurement: added to this run’s resolutions, since its timeline is placed on the controller’s clock through the offset.'),
  }, { additionalProperties: false })),
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
  function: Type.Optional(Type.String()),
  preventionControls: Type.Optional(Type.String()),
  detectionControls: Type.Optional(Type.String()),
  recommendedAction: Type.Optional(Type.String()),
  owner: Type.Optional(Type.String()),
  status: Type.Optional(RowStatusSchema),
  source: Type.Optional(Type.String()),
});

/** A scenario's verdict: known-gap = expect.recovered is false (an accepted, documented gap) and its runs indeed did not recover, every other expectation met; skipped = every run was skipped. */
export const ScenarioVerdictSchema = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('known-gap'), Type.Literal('skipped'), Type.Literal('aborted'), Type.Literal('error')], { description: 'known-gap: expect.recovered is false and the runs did not recover (an accepted, documented risk; never counted as passed, does not fail the gate). skipped: every run was skipped because an earlier run or scenario left the target broken.' });

/** How many scenarios got each verdict. */
export const VerdictCountsSchema = Type.Object({
  scenarios: Type.Integer({ minimum: 0 }),
  passed: Type.Integer({ minimum: 0 }),
  failed: Type.Integer({ minimum: 0 }),
  knownGaps: Type.Integer({ minimum: 0 }),
  skipped: Type.Integer({ minimum: 0 }),
  aborted: Type.Integer({ minimum: 0 }),
  errors: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });

export const ScenarioSummarySchema = Type.Object({
  id: Type.String(),
  title: Type.String(),
  file: Type.String(),
  verdict: ScenarioVerdictSchema,
  reasons: Type.Array(Type.String(), { description: 'Why it failed, is a known gap, was skipped or aborted, one short sentence each; empty for a clean pass.' }),
  configuration: Type.Optional(Type.String({ description: 'The target and its recovery set-up the runs measured (e.g. "reference orchestrator, healer off"); measured FMEA ratings never pool different configurations.' })),
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
  claims: Type.Optional(Type.Array(Type.String(), { description: 'Ids of the recovery claims the scenario tests (its `claims`).' })),
  runs: Type.Array(RunSummarySchema),
  stats: Type.Object({
    ttdMs: Type.Union([PercentilesSchema, Type.Null()]),
    rtoMs: Type.Union([PercentilesSchema, Type.Null()]),
    recovered: Type.Integer({ minimum: 0, description: 'Runs that recovered.' }),
    completed: Type.Integer({ minimum: 0, description: 'Runs that completed (not aborted).' }),
    ttdResolutionMs: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'Widest ttdResolutionMs over the completed runs.' })),
    rtoResolutionMs: Type.Optional(Type.Union([Type.Number({ minimum: 0 }), Type.Null()], { description: 'Widest rtoResolutionMs over the completed runs.' })),
    targetTtdMs: Type.Optional(Type.Union([PercentilesSchema, Type.Null()], { description: 'p50 / p95 / max of the target’s own time to detect.' })),
    targetRtoMs: Type.Optional(Type.Union([PercentilesSchema, Type.Null()], { description: 'p50 / p95 / max of the target’s own time to repair.' })),
    dataLoss: Type.Optional(Type.Union([Type.Object({
      lost: Type.Integer({ minimum: 0 }),
      sent: Type.Integer({ minimum: 0 }),
      rejected: Type.Integer({ minimum: 0 }),
    }), Type.Null()], { description: 'Canary totals over the completed runs; null without canaries.' })),
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
  options: Type.Object({ heal: Type.Boolean(), gate: Type.Boolean(), healDelayMs: Type.Optional(Type.Number()), guardrails: Type.Optional(Type.Boolean({ description: "The web stack's guardrails (--guardrails on|off)" })) }),
  environment: Type.Object({
    faultline: Type.String(),
    node: Type.String(),
    host: Type.String(),
    platform: Type.String(),
    tmux: Type.Optional(Type.String()),
    kernel: Type.Optional(Type.String({ description: 'Kernel release (uname -r).' })),
    cpus: Type.Optional(Type.Integer({ minimum: 0, description: 'Logical CPUs of the host.' })),
    loadAverage: Type.Optional(Type.Object({
      start: Type.Array(Type.Number(), { description: '1, 5 and 15 minute load average when the run started.' }),
      end: Type.Optional(Type.Array(Type.Number(), { description: 'The same when it ended.' })),
    })),
    scenariosCommit: Type.Optional(Type.Union([Type.Object({
      commit: Type.String({ description: 'git HEAD of the repository holding the scenario files.' }),
      dirty: Type.Boolean({ description: 'A scenario file differs from that commit.' }),
    }), Type.Null()], { description: 'null when the scenarios are not in a git repository.' })),
    scenarioFiles: Type.Optional(Type.Array(Type.Object({
      file: Type.String(),
      sha256: Type.String(),
    }), { description: 'Every scenario file that was run, with the sha256 of its bytes when the run started.' })),
    scenariosSha256: Type.Optional(Type.String({ description: 'sha256 of the lines "<sha256>  <file>" of scenarioFiles, sorted by file: one checksum naming exactly what was run.' })),
  }),
  signOff: Type.Optional(Type.Object({
    preparedBy: Type.Optional(Type.String()),
    reviewer: Type.Optional(Type.String()),
  }, { description: 'Names for the report’s sign-off block (run --prepared-by / --reviewer).' })),
  targets: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  counts: VerdictCountsSchema,
  scenarios: Type.Array(ScenarioSummarySchema),
}, { $id: 'https://faultline.dev/schemas/summary.schema.json', title: 'faultline run summary' });

export type RunSummary = Static<typeof RunSummarySchema>;
export type ScenarioSummary = Static<typeof ScenarioSummarySchema>;
export type Summary = Static<typeof SummarySchema>;
export type Check = Static<typeof CheckSchema>;
export type FmeaSummary = Static<typeof FmeaSummarySchema>;
export type TargetSignal = Static<typeof TargetSignalSchema>;
export type DataLoss = Static<typeof DataLossSchema>;
export type ProbeSampling = Static<typeof ProbeSamplingSchema>;
export type ProbeOutage = Static<typeof ProbeOutageSchema>;
export type ScenarioVerdict = Static<typeof ScenarioVerdictSchema>;
export type VerdictCounts = Static<typeof VerdictCountsSchema>;
