// The FMEA worksheet (docs/fmea.md): one row per failure mode. Types derive from this schema.
import { Type, type Static } from '@sinclair/typebox';

const Text = (description: string) => Type.Optional(Type.String({ description }));

/** A 1–10 rating (Severity, Occurrence or Detection). */
export const RatingSchema = Type.Integer({ minimum: 1, maximum: 10 });

/** S × O × D, 1–1000. */
export const RpnSchema = Type.Integer({ minimum: 1, maximum: 1000 });

/** AIAG-VDA Action Priority: High, Medium, Low. */
export const ActionPrioritySchema = Type.Union([Type.Literal('H'), Type.Literal('M'), Type.Literal('L')]);

/** Where a row's action stands. */
export const RowStatusSchema = Type.Union(
  [Type.Literal('open'), Type.Literal('in-progress'), Type.Literal('done'), Type.Literal('accepted')],
  { description: 'open = no action yet; accepted = risk accepted without action.' },
);

/** Ratings after the recommended action is taken. */
export const RevisedRatingsSchema = Type.Object({
  severity: Type.Optional(RatingSchema),
  occurrence: Type.Optional(RatingSchema),
  detection: Type.Optional(RatingSchema),
  rpn: Type.Optional(RpnSchema),
  ap: Type.Optional(ActionPrioritySchema),
}, { additionalProperties: false, description: 'Revised S/O/D after the action; rpn and ap are computed when left out.' });

/** One failure mode: the worksheet's columns (docs/fmea.md). */
export const WorksheetRowSchema = Type.Object({
  id: Type.String({ minLength: 1, pattern: '^[A-Za-z0-9][A-Za-z0-9_.:-]*$', description: 'Failure-mode id (e.g. SPOF-001); rows from scenarios and worksheet files merge on it.' }),
  component: Text('The part of the system that fails.'),
  function: Text('What the component is for.'),
  failureMode: Type.String({ minLength: 1, description: 'How it fails.' }),
  effect: Text('What the failure does to the system and its users.'),
  cause: Text('Why it fails.'),
  preventionControls: Text('What keeps the cause from happening.'),
  detectionControls: Text('What notices the failure.'),
  // Optional: a row imported from an unrated document (a resilience matrix, a list of known modes) has none yet.
  severity: Type.Optional(RatingSchema),
  occurrence: Type.Optional(RatingSchema),
  detection: Type.Optional(RatingSchema),
  rpn: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'S × O × D; computed when left out, linted when given.' })),
  ap: Type.Optional(ActionPrioritySchema),
  riskLevel: Text('Risk level as the source document states it (e.g. CRITICAL); linted against the bands.'),
  priority: Text('Mitigation priority as the source document states it (e.g. P1).'),
  blastRadius: Text('What the failure reaches, as the source document states it (e.g. "All API requests").'),
  effort: Text('Effort to mitigate, as the source document states it (e.g. S, M, L).'),
  documentStatus: Text('Status as the source document states it (e.g. "🔴 Not implemented").'),
  reference: Text('Issue or ticket the source document links the failure mode to (e.g. #71).'),
  evidence: Type.Optional(Type.Union([Type.String(), Type.Array(Type.String())], { description: 'Run directories, documents or notes that support the ratings.' })),
  recommendedAction: Text('What to do about it.'),
  owner: Text('Who does it.'),
  status: Type.Optional(RowStatusSchema),
  revised: Type.Optional(RevisedRatingsSchema),
  scenario: Text('Id of the scenario that exercises this failure mode.'),
  source: Text('Where the ratings come from (file:line).'),
}, { additionalProperties: false });

/** A worksheet file: rows for failure modes, with or without an experiment. */
export const WorksheetSchema = Type.Object({
  $schema: Type.Optional(Type.String()),
  kind: Type.Optional(Type.Literal('worksheet', { description: 'Marks the file as a worksheet so scenario folders can hold it (`faultline run` skips it).' })),
  version: Type.Optional(Type.Literal(1)),
  title: Text('What the worksheet covers.'),
  source: Text('The document it was imported from.'),
  rows: Type.Array(WorksheetRowSchema),
}, {
  $id: 'https://faultline.dev/schemas/worksheet.schema.json',
  title: 'faultline FMEA worksheet',
  description: 'Failure modes with Severity, Occurrence and Detection ratings; a row without them is not yet rated.',
  additionalProperties: false,
});

// Types derived from the schemas above (one source of truth).
export type Rating = Static<typeof RatingSchema>;
export type ActionPriority = Static<typeof ActionPrioritySchema>;
export type RevisedRatings = Static<typeof RevisedRatingsSchema>;
export type WorksheetRow = Static<typeof WorksheetRowSchema>;
export type Worksheet = Static<typeof WorksheetSchema>;
