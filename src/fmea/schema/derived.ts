// Ratings derived from run evidence, and the scored worksheet row that shows them beside the analyst's.
import { Type, type Static } from '@sinclair/typebox';
import { ActionPrioritySchema, RatingSchema, RpnSchema, WorksheetRowSchema } from './worksheet.js';

/** The figures a derived rating was computed from. */
export const DerivedEvidenceSchema = Type.Object({
  runIds: Type.Array(Type.String(), { description: 'Reports the runs come from, newest first.' }),
  evidenceAt: Type.Union([Type.String(), Type.Null()], { description: 'startedAt of the newest report used.' }),
  runs: Type.Integer({ minimum: 0, description: 'Completed runs considered.' }),
  configuration: Type.Optional(Type.String({ description: 'The target set-up the runs measured; ratings never pool across configurations.' })),
  scenario: Type.Optional(Type.String({ description: 'The scenario whose runs these are.' })),
  testTtdP95Ms: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'faultline’s probes’ TTD p95: the test’s detection, shown beside (never used for) D.' })),
  detectedRuns: Type.Optional(Type.Integer({ minimum: 0 })),
  ttdP95Ms: Type.Optional(Type.Union([Type.Number(), Type.Null()], { description: 'The target’s own detection time p95 (what D is rated from); null when it detected nothing.' })),
  budgetMs: Type.Optional(Type.Number()),
  budgetFrom: Type.Optional(Type.Union([Type.Literal('expect.ttdMs'), Type.Literal('config')])),
  ratio: Type.Optional(Type.Number()),
  maxProbeShare: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  lost: Type.Optional(Type.Integer({ minimum: 0 })),
  notRecoveredRuns: Type.Optional(Type.Integer({ minimum: 0 })),
  failedRuns: Type.Optional(Type.Integer({ minimum: 0 })),
  rate: Type.Optional(Type.Number()),
  ciLow: Type.Optional(Type.Number({ description: 'Lower end of the 95 % Wilson interval of the failure rate.' })),
  ciHigh: Type.Optional(Type.Number({ description: 'Upper end of the 95 % Wilson interval of the failure rate.' })),
});

/** A Severity, Occurrence or Detection rating measured from evidence, with the rule that produced it. */
export const DerivedRatingSchema = Type.Object({
  dimension: Type.Union([Type.Literal('severity'), Type.Literal('occurrence'), Type.Literal('detection')]),
  rating: RatingSchema,
  rule: Type.String({ description: 'Rule id, e.g. detection.ttd-vs-budget.' }),
  reason: Type.String({ description: 'The rule applied to the evidence, in words.' }),
  evidence: DerivedEvidenceSchema,
  stale: Type.Boolean({ description: 'The newest evidence is older than staleAfterDays.' }),
});

/** S/O/D with their RPN, AP and risk band. */
export const RatingSetSchema = Type.Object({
  severity: RatingSchema,
  occurrence: RatingSchema,
  detection: RatingSchema,
  rpn: RpnSchema,
  ap: ActionPrioritySchema,
  band: Type.Union([Type.String(), Type.Null()]),
  priority: Type.Union([Type.String(), Type.Null()]),
});

/** The measured ratings of one configuration of one scenario of a failure mode. */
export const ConfigurationRatingsSchema = Type.Object({
  configuration: Type.String(),
  scenario: Type.String(),
  measured: Type.Union([RatingSetSchema, Type.Null()]),
  derived: Type.Object({
    severity: Type.Optional(DerivedRatingSchema),
    occurrence: Type.Optional(DerivedRatingSchema),
    detection: Type.Optional(DerivedRatingSchema),
  }),
  notes: Type.Array(Type.String()),
  disagreement: Type.Optional(Type.String({ description: 'Why measured AP and RPN move in opposite directions from the analyst’s.' })),
});

/** A worksheet row scored: analyst ratings, measured ratings (derived where evidence exists), rank. */
export const ScoredRowSchema = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  row: WorksheetRowSchema,
  analyst: RatingSetSchema,
  measured: Type.Union([RatingSetSchema, Type.Null()], { description: 'Analyst ratings with derived ones put in, for the configuration of the newest evidence (the worst of its scenarios); null without evidence.' }),
  configuration: Type.Optional(Type.String({ description: 'The configuration `measured` is for.' })),
  configurations: Type.Array(ConfigurationRatingsSchema, { description: 'Measured ratings per configuration and scenario, never pooled; the first is `measured`.' }),
  disagreement: Type.Optional(Type.String({ description: 'One line when measured AP rises while measured RPN falls (or the reverse), saying why.' })),
  derived: Type.Object({
    severity: Type.Optional(DerivedRatingSchema),
    occurrence: Type.Optional(DerivedRatingSchema),
    detection: Type.Optional(DerivedRatingSchema),
  }),
  experimented: Type.Boolean({ description: 'Some report has a scenario for this failure mode.' }),
  notes: Type.Array(Type.String(), { description: 'Why a rating could not be derived; stale evidence.' }),
  revised: Type.Union([RatingSetSchema, Type.Null()]),
  stale: Type.Boolean(),
});

// Types derived from the schemas above (one source of truth).
export type DerivedEvidence = Static<typeof DerivedEvidenceSchema>;
export type DerivedRating = Static<typeof DerivedRatingSchema>;
export type RatingSet = Static<typeof RatingSetSchema>;
export type ScoredRow = Static<typeof ScoredRowSchema>;
export type ConfigurationRatings = Static<typeof ConfigurationRatingsSchema>;
