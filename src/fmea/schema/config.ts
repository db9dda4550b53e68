// FMEA settings: risk bands, priority buckets and the rules that turn evidence into ratings.
import { Type, type Static } from '@sinclair/typebox';
import { RatingSchema } from './worksheet.js';

/** An RPN range with a name (inclusive bounds). */
export const RpnBandSchema = Type.Object({
  name: Type.String({ minLength: 1 }),
  min: Type.Integer({ minimum: 0 }),
  max: Type.Integer({ minimum: 0 }),
}, { additionalProperties: false });

const DetectionRuleSchema = Type.Object({
  defaultBudgetMs: Type.Number({ exclusiveMinimum: 0, description: 'Detection budget when a scenario has no expect.ttdMs.' }),
  undetected: RatingSchema,
  missedRunsFloor: Type.Integer({ minimum: 1, maximum: 10, description: 'Lowest D when some (not all) runs went unnoticed.' }),
  steps: Type.Array(Type.Object({ maxRatio: Type.Number({ minimum: 0 }), rating: RatingSchema }), { description: 'TTD p95 / budget ≤ maxRatio → rating; first match wins.' }),
  beyondSteps: RatingSchema,
}, { additionalProperties: false });

const SeverityRuleSchema = Type.Object({
  notRecovered: RatingSchema,
  notRecoveredAllProbes: RatingSchema,
  dataLost: RatingSchema,
  shareSteps: Type.Array(Type.Object({ minShare: Type.Number({ minimum: 0, maximum: 1 }), rating: RatingSchema }), { description: 'Largest share of steady-state probes failed ≥ minShare → rating; first match wins.' }),
  noImpact: RatingSchema,
}, { additionalProperties: false });

/** What makes a run count as the failure mode occurring. */
export const OccurrenceEventSchema = Type.Union([Type.Literal('not-recovered'), Type.Literal('data-lost'), Type.Literal('rto-exceeded'), Type.Literal('ttd-exceeded')]);

const OccurrenceRuleSchema = Type.Object({
  minRuns: Type.Integer({ minimum: 1, description: 'Fewer runs (of one configuration of one scenario) than this derive no Occurrence: "insufficient evidence".' }),
  countAs: Type.Array(OccurrenceEventSchema),
  steps: Type.Array(Type.Object({ maxRate: Type.Number({ minimum: 0, maximum: 1 }), rating: RatingSchema }), { description: 'Share of runs where the failure occurred ≤ maxRate → rating; first match wins.' }),
}, { additionalProperties: false });

/** Every FMEA setting; a config file may give any part of it. */
export const FmeaConfigSchema = Type.Object({
  bands: Type.Array(RpnBandSchema, { description: 'Risk bands by RPN, highest first.' }),
  priorityBuckets: Type.Array(RpnBandSchema, { description: 'Mitigation priorities by RPN, most urgent first.' }),
  levelSynonyms: Type.Array(Type.Array(Type.String()), { description: 'Words that name the same risk level (e.g. critical = extreme).' }),
  detection: DetectionRuleSchema,
  severity: SeverityRuleSchema,
  occurrence: OccurrenceRuleSchema,
  staleAfterDays: Type.Number({ minimum: 0, description: 'Evidence older than this is flagged stale.' }),
}, { additionalProperties: false, title: 'faultline FMEA settings' });

// Types derived from the schemas above (one source of truth).
export type RpnBand = Static<typeof RpnBandSchema>;
export type OccurrenceEvent = Static<typeof OccurrenceEventSchema>;
export type FmeaConfig = Static<typeof FmeaConfigSchema>;

/** The defaults: seed 000's risk bands and the evidence rules of docs/fmea.md. */
export const DEFAULT_FMEA_CONFIG: FmeaConfig = {
  bands: [
    { name: 'extreme', min: 301, max: 1000 },
    { name: 'high', min: 200, max: 300 },
    { name: 'moderate', min: 100, max: 199 },
    { name: 'low', min: 50, max: 99 },
    { name: 'acceptable', min: 1, max: 49 },
  ],
  priorityBuckets: [
    { name: 'P1', min: 301, max: 1000 },
    { name: 'P2', min: 200, max: 300 },
    { name: 'P3', min: 100, max: 199 },
    { name: 'P4', min: 1, max: 99 },
  ],
  levelSynonyms: [['extreme', 'critical'], ['moderate', 'medium'], ['acceptable', 'negligible', 'minimal']],
  detection: {
    defaultBudgetMs: 1000,
    undetected: 10,
    missedRunsFloor: 8,
    steps: [
      { maxRatio: 0.1, rating: 2 },
      { maxRatio: 0.25, rating: 3 },
      { maxRatio: 0.5, rating: 4 },
      { maxRatio: 1, rating: 5 },
      { maxRatio: 2, rating: 6 },
      { maxRatio: 5, rating: 7 },
    ],
    beyondSteps: 8,
  },
  severity: {
    notRecovered: 9,
    notRecoveredAllProbes: 10,
    dataLost: 8,
    shareSteps: [
      { minShare: 1, rating: 7 },
      { minShare: 0.5, rating: 6 },
      { minShare: 0.000001, rating: 5 },
    ],
    noImpact: 2,
  },
  occurrence: {
    minRuns: 10,
    countAs: ['not-recovered', 'data-lost', 'rto-exceeded'],
    steps: [
      { maxRate: 0, rating: 2 },
      { maxRate: 0.1, rating: 3 },
      { maxRate: 0.2, rating: 4 },
      { maxRate: 0.35, rating: 5 },
      { maxRate: 0.5, rating: 6 },
      { maxRate: 0.7, rating: 7 },
      { maxRate: 0.9, rating: 8 },
      { maxRate: 0.999999, rating: 9 },
      { maxRate: 1, rating: 10 },
    ],
  },
  staleAfterDays: 30,
};

/** Fills a partial config (e.g. from a file) with the defaults; lists replace, objects merge. */
export function resolveFmeaConfig(partial: DeepPartial<FmeaConfig> = {}): FmeaConfig {
  return mergeDeep(DEFAULT_FMEA_CONFIG, partial) as FmeaConfig;
}

/** A config where every field may be left out. */
export type DeepPartial<T> = T extends readonly unknown[] ? T : T extends object ? { [K in keyof T]?: DeepPartial<T[K]> } : T;

function mergeDeep(base: unknown, override: unknown): unknown {
  if (override === undefined) return structuredClone(base);
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  const merged: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(base), ...Object.keys(override)])) merged[key] = mergeDeep(base[key], override[key]);
  return merged;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
