// Recovery claims (RTO, RPO, time to detect, data loss) read from a user's document. Types derive from this schema.
import { Type, type Static } from '@sinclair/typebox';

/** What a claim bounds. */
export const ClaimMetricSchema = Type.Union([Type.Literal('rto'), Type.Literal('rpo'), Type.Literal('ttd'), Type.Literal('data-loss')], {
  description: 'rto = time to recover, rpo = the window of data lost, ttd = time to detect, data-loss = items lost.',
});

/** The bound as written, and as a figure where it is one. */
export const ClaimBoundSchema = Type.Object({
  text: Type.String({ description: 'The bound as the document writes it (e.g. "<60s", "10-30 sec", "0 data loss").' }),
  maxMs: Type.Optional(Type.Number({ minimum: 0, description: 'Upper bound in ms (rto, rpo, ttd); the top of a range.' })),
  maxLost: Type.Optional(Type.Integer({ minimum: 0, description: 'Most items that may be lost (data-loss).' })),
}, { additionalProperties: false });

/** One claim: what the document promises, and where. */
export const ClaimSchema = Type.Object({
  id: Type.String({ pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', description: 'Scenarios name it in `claims: [id]`.' }),
  text: Type.String({ minLength: 1, description: 'The claim in the document’s words.' }),
  metric: ClaimMetricSchema,
  bound: ClaimBoundSchema,
  source: Type.String({ description: 'file:line of the claim.' }),
}, { additionalProperties: false });

/** A claims file (claims.yaml): found beside the scenarios, or given with --claims. */
export const ClaimsFileSchema = Type.Object({
  $schema: Type.Optional(Type.String()),
  kind: Type.Literal('claims', { description: 'Marks the file as claims so scenario folders can hold it (`faultline run` skips it).' }),
  version: Type.Optional(Type.Literal(1)),
  source: Type.Optional(Type.String({ description: 'The document the claims were imported from.' })),
  claims: Type.Array(ClaimSchema),
}, {
  $id: 'https://faultline.dev/schemas/claims.schema.json',
  title: 'faultline recovery claims',
  description: 'RTO, RPO, time-to-detect and data-loss claims, each with its bound and where the document states it.',
  additionalProperties: false,
});

export type ClaimMetric = Static<typeof ClaimMetricSchema>;
export type ClaimBound = Static<typeof ClaimBoundSchema>;
export type Claim = Static<typeof ClaimSchema>;
export type ClaimsFile = Static<typeof ClaimsFileSchema>;
