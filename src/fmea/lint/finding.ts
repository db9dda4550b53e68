// A lint finding: what is inconsistent, where (every line involved) and how sure the linter is.

/** The kinds of inconsistency the linter reports. */
export type LintRule =
  | 'rpn-mismatch' | 'ap-mismatch' | 'rating-conflict' | 'priority-conflict'
  | 'risk-level' | 'unknown-risk-level' | 'band-conflict' | 'priority-level' | 'priority-criterion' | 'priority-bucket'
  | 'priority-total' | 'priority-count' | 'priority-table' | 'total-rpn' | 'average-rpn'
  | 'count' | 'band-count' | 'band-percent' | 'threshold-count' | 'level-count' | 'scale-label';

/** error = contradicts the document however it is read; warning = depends on which of its definitions applies. */
export type FindingSeverity = 'error' | 'warning';

/** One inconsistency. `lines` are 1-based, first the line to look at. */
export interface LintFinding {
  rule: LintRule;
  severity: FindingSeverity;
  lines: number[];
  ids: string[];
  message: string;
}

/** Creates a finding; lines are de-duplicated and kept in the order given. */
export function createFinding(rule: LintRule, lines: number[], message: string, options: { ids?: string[]; severity?: FindingSeverity } = {}): LintFinding {
  return { rule, severity: options.severity ?? 'error', lines: [...new Set(lines.filter((line) => line > 0))], ids: options.ids ?? [], message };
}

/** "lines 2327–2331" or "line 5": a compact reference to where something is stated. */
export function formatLines(lines: readonly number[]): string {
  const sorted = [...new Set(lines)].sort((a, b) => a - b);
  if (sorted.length === 1) return `line ${sorted[0]}`;
  const contiguous = sorted.every((line, index) => index === 0 || line - sorted[index - 1]! <= 6);
  return contiguous ? `lines ${sorted[0]}–${sorted.at(-1)}` : `lines ${sorted.join(', ')}`;
}

/** 5368 → "5,368". */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? value.toLocaleString('en-US') : value.toFixed(1);
}

/** "lines 1608–1627": the span from the first to the last line. */
export function formatLineSpan(lines: readonly number[]): string {
  const min = Math.min(...lines);
  const max = Math.max(...lines);
  return min === max ? `line ${min}` : `lines ${min}–${max}`;
}
