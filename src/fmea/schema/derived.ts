// Ratings derived from run evidence, and the scored worksheet row that shows them beside the analyst's.
import { Type, type Static } from '@sinclair/typebox';
import { ActionPrioritySchema, RatingSchema, RpnSchema, WorksheetRowSchema } from './worksheet.js';

/** The figures a derived rating was computed from. */
export const DerivedEvidenceSchema = Type.Object({
  runIds: Type.Array(Type.String(), { description: 'Reports the runs come from, newest first.' }),
  evidenceAt: Type.Union([Type.String(), Type.Null()], { description: 'startedAt of the newest report used.' }),
  runs: Type.Integer({ minimum: 0, description: 'Completed runs considered.' }),
  detectedRuns: Type.Optional(Type.Integer({ minimum: 0 })),
  ttdP95Ms: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  budgetMs: Type.Optional(Type.Number()),
  budgetFrom: Type.Optional(Type.Union([Type.Literal('expect.ttdMs'), Type.Literal('config')])),
  ratio: Type.Optional(Type.Number()),
  maxProbeShare: Type.Optional(Type.Union([Type.Number(), Type.Null()])),
  lost: Type.Optional(Type.Integer({ minimum: 0 })),
  notRecoveredRuns: Type.Optional(Type.Integer({ minimum: 0 })),
  failedRuns: Type.Optional(Type.Integer({ minimum: 0 })),
  rate: Type.Optional(Type.Number()),
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

/** A worksheet row scored: analyst ratings, measured ratings (derived where evidence exists), rank. */
export const ScoredRowSchema = Type.Object({
  rank: Type.Integer({ minimum: 1 }),
  row: WorksheetRowSchema,
  analyst: RatingSetSchema,
  measured: Type.Union([RatingSetSchema, Type.Null()], { description: 'Analyst ratings with derived ones put in; null without evidence.' }),
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
