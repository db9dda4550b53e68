// Lint output for people: one line per finding, `file:line severity rule: message`, then a tally.
import type { LintResult } from './lint-document.js';

/** Formats a lint result as text lines (no trailing newline). */
export function formatLintResult(result: LintResult): string {
  const lines = result.findings.map((finding) => {
    const also = finding.lines.length > 1 ? ` [lines ${finding.lines.join(', ')}]` : '';
    return `${result.file}:${finding.lines[0] ?? 1} ${finding.severity} ${finding.rule}: ${finding.message}${also}`;
  });
  const errors = result.findings.filter((finding) => finding.severity === 'error').length;
  const warnings = result.findings.length - errors;
  const read = `read ${result.rows} table rows and ${result.sections} rated sections`;
  lines.push(result.findings.length === 0
    ? `✓ ${result.file}: no inconsistencies (${read})`
    : `✗ ${result.file}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'} (${read})`);
  return lines.join('\n');
}
