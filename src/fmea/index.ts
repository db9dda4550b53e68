// Public API of the FMEA engine: scoring, worksheets, evidence-derived ratings, import and lint.
export { getActionPriority, compareActionPriority } from './scoring/action-priority.js';
export { computeRpn, isRating } from './scoring/rpn.js';
export { getRiskBand, getPriorityBucket, isSameLevel, formatBandRange } from './scoring/risk-bands.js';
export { rankRows, getRankKey, type RankKey, type RatedRow } from './scoring/rank.js';
export * from './schema/worksheet.js';
export * from './schema/config.js';
