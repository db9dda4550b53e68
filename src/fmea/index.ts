// Public API of the FMEA engine: scoring, worksheets, evidence-derived ratings, import and lint.

// Scoring: RPN, Action Priority, bands, ranking.
export { computeRpn, isRating } from './scoring/rpn.js';
export { getActionPriority, compareActionPriority } from './scoring/action-priority.js';
export { getRiskBand, getPriorityBucket, isSameLevel, normalizeLevel, formatBandRange } from './scoring/risk-bands.js';
export { rankRows, getRankKey, type RankKey, type RatedRow } from './scoring/rank.js';

// Schemas and the types derived from them.
export * from './schema/worksheet.js';
export * from './schema/config.js';
export * from './schema/derived.js';

// Worksheets: load (YAML, JSON, CSV), merge scenario rows, write.
export { loadWorksheet, readInputFile, type LoadedWorksheet } from './worksheet/load-worksheet.js';
export { mergeRows, rowFromScenarioFmea, type MergedRows, type RowConflict } from './worksheet/merge-rows.js';
export { formatWorksheetYaml } from './worksheet/format-worksheet.js';

// Documents: import and lint.
export { readFmeaDocument } from './document/read-document.js';
export type { FmeaDocument } from './document/model.js';
export { importWorksheet, completeRows, type ImportOptions, type ImportResult } from './import/import-worksheet.js';
export { lintDocument, type LintResult } from './lint/lint-document.js';
export { formatLintResult } from './lint/format-findings.js';
export type { LintFinding, LintRule, FindingSeverity } from './lint/finding.js';

// Evidence: run summaries → derived ratings.
export { readEvidence, readEvidenceReport, type EvidenceReport, type EvidenceScenario, type EvidenceRun } from './evidence/read-evidence.js';
export { getScenarioHistory, type HistoryEntry } from './evidence/scenario-history.js';
export { deriveRatings, type DerivedRatings } from './evidence/derive-ratings.js';

// Score: the ranked worksheet with analyst and measured ratings.
export { scoreWorksheet, createRatingSet, type ScoreOptions, type ScoredWorksheet } from './score/score-worksheet.js';
export { formatScoredWorksheet, formatEvidence } from './score/format-score.js';
