// Lint output for people: the file once, findings grouped by rule with counts, then a tally.
import { pluralize as count } from '../../util/plural.js';
import type { LintFinding } from './finding.js';
import type { LintResult } from './lint-document.js';

/** Colours for the text; identity functions when colour is off. */
export interface LintPaint {
  red: (text: string) => string;
  yellow: (text: string) => string;
  green: (text: string) => string;
  bold: (text: string) => string;
  dim: (text: string) => string;
}

const plain = (text: string) => text;
const NO_PAINT: LintPaint = { red: plain, yellow: plain, green: plain, bold: plain, dim: plain };

/** Formats a lint result as text lines (no trailing newline). */
export function formatLintResult(result: LintResult, paint: LintPaint = NO_PAINT): string {
  const read = `read ${count(result.rows, 'table row')} and ${count(result.sections, 'rated section')}`;
  if (result.unrated && result.rows === 0 && result.sections === 0) {
    // Nothing rated is nothing to cross-check; say what was found rather than "no inconsistencies in 0 rows".
    return [
      `${paint.yellow('○')} ${result.file}: ${count(result.unrated.count, 'failure mode')} found, not yet rated (no S/O/D to check)`,
      ...result.unrated.shapes.map((shape) => `  recognised: ${shape}`),
      `  next: faultline fmea import ${result.file} --out worksheet.yaml, then rate the rows or scaffold their experiments`,
    ].join('\n');
  }
  if (result.findings.length === 0) return `${paint.green('✓')} ${result.file}: no inconsistencies (${read})`;
  const lines = [paint.bold(result.file)];
  const width = String(Math.max(...result.findings.map((finding) => finding.lines[0] ?? 1))).length;
  for (const [rule, findings] of groupByRule(result.findings)) {
    lines.push('', `  ${paint.bold(rule)} ${paint.dim(`· ${tally(findings)}`)}`);
    for (const finding of findings) {
      const mark = finding.severity === 'error' ? paint.red('error  ') : paint.yellow('warning');
      const also = finding.lines.length > 1 ? paint.dim(` [lines ${finding.lines.join(', ')}]`) : '';
      lines.push(`    ${paint.dim(`line ${String(finding.lines[0] ?? 1).padStart(width)}`)}  ${mark}  ${finding.message}${also}`);
    }
  }
  const rules = new Set(result.findings.map((finding) => finding.rule)).size;
  lines.push('', `${paint.red('✗')} ${tally(result.findings)} under ${count(rules, 'rule')} (${read})`);
  return lines.join('\n');
}

// Rules in the order they first occur in the document; each rule's findings by line.
function groupByRule(findings: readonly LintFinding[]): Map<string, LintFinding[]> {
  const sorted = [...findings].sort((a, b) => (a.lines[0] ?? 0) - (b.lines[0] ?? 0));
  const groups = new Map<string, LintFinding[]>();
  for (const finding of sorted) groups.set(finding.rule, [...(groups.get(finding.rule) ?? []), finding]);
  return groups;
}

function tally(findings: readonly LintFinding[]): string {
  const errors = findings.filter((finding) => finding.severity === 'error').length;
  const warnings = findings.length - errors;
  return [errors > 0 || warnings === 0 ? count(errors, 'error') : '', warnings > 0 ? count(warnings, 'warning') : ''].filter(Boolean).join(', ');
}
