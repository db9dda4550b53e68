// The FMEA linter: reads a document and runs every consistency check on it.
import type { FmeaDocument } from '../document/model.js';
import { readFmeaDocument } from '../document/read-document.js';
import { DEFAULT_FMEA_CONFIG, type FmeaConfig } from '../schema/config.js';
import { checkArithmetic } from './check-arithmetic.js';
import { checkConflicts } from './check-conflicts.js';
import { checkCounts } from './check-counts.js';
import { checkPriorities } from './check-priorities.js';
import { checkRiskLevels } from './check-levels.js';
import { checkScaleLabels } from './check-scale-labels.js';
import { checkTotals } from './check-totals.js';
import type { LintFinding } from './finding.js';
import { SHAPE_NAMES } from '../document/unrated-modes.js';

/** What the linter read and found. */
export interface LintResult {
  file: string;
  format: FmeaDocument['format'];
  /** Rated rows read from tables (or the worksheet). */
  rows: number;
  /** Sections that state ratings of one failure mode. */
  sections: number;
  findings: LintFinding[];
  /** Failure modes listed without ratings (documents that rate none), and the shapes they were found in. */
  unrated?: { count: number; shapes: string[] };
}

/** Lints a document (a path, or one already read); unreadable input throws an InputError. */
export function lintDocument(source: string | FmeaDocument, config: FmeaConfig = DEFAULT_FMEA_CONFIG): LintResult {
  const document = typeof source === 'string' ? readFmeaDocument(source) : source;
  const findings = [
    ...checkArithmetic(document),
    ...checkConflicts(document),
    ...checkRiskLevels(document, config),
    ...checkPriorities(document, config),
    ...checkTotals(document),
    ...checkCounts(document),
    ...checkScaleLabels(document, config),
  ].sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0) || a.rule.localeCompare(b.rule));
  return {
    file: document.file,
    format: document.format,
    rows: document.tables.length,
    sections: document.sections.filter((section) => section.severity || section.occurrence || section.detection || section.rpn).length,
    findings,
    ...(document.unrated && document.unrated.length > 0
      ? { unrated: { count: document.unrated.length, shapes: [...new Set(document.unrated.map((mode) => SHAPE_NAMES[mode.shape]))] } }
      : {}),
  };
}
