// RPN ≠ S × O × D, a stated AP that the AIAG-VDA table does not give, and S that no 1–10 can imply.
import type { FmeaDocument } from '../document/model.js';
import { getActionPriority } from '../scoring/action-priority.js';
import { createFinding, type LintFinding } from './finding.js';

/** Checks the arithmetic of every table row and every rated section. */
export function checkArithmetic(document: FmeaDocument): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of document.tables) {
    const { severity: s, occurrence: o, detection: d, rpn } = entry;
    if (s === undefined || o === undefined || d === undefined) continue;
    if (rpn !== undefined && rpn !== s * o * d) {
      findings.push(createFinding('rpn-mismatch', [entry.line], `${entry.id}: RPN ${rpn} ≠ S × O × D = ${s} × ${o} × ${d} = ${s * o * d}`, { ids: [entry.id] }));
    }
    const ap = entry.ap && /^[HML]$/.test(entry.ap) ? entry.ap : undefined;
    if (ap && ap !== getActionPriority(s, o, d)) {
      findings.push(createFinding('ap-mismatch', [entry.line], `${entry.id}: AP ${ap}, but S ${s} / O ${o} / D ${d} gives AP ${getActionPriority(s, o, d)} (AIAG-VDA table)`, { ids: [entry.id] }));
    }
  }
  for (const section of document.sections) {
    const { severity: s, occurrence: o, detection: d, rpn } = section;
    if (!o || !d || !rpn) continue;
    if (s && rpn.value !== s.value * o.value * d.value) {
      findings.push(createFinding('rpn-mismatch', [rpn.line, s.line, o.line, d.line],
        `${section.id}: RPN ${rpn.value} ≠ S × O × D = ${s.value} × ${o.value} × ${d.value} = ${s.value * o.value * d.value}`, { ids: [section.id] }));
    } else if (!s && !isWholeRating(rpn.value / (o.value * d.value))) {
      findings.push(createFinding('rpn-mismatch', [rpn.line, o.line, d.line],
        `${section.id}: RPN ${rpn.value} is not S × ${o.value} × ${d.value} for any Severity from 1 to 10 (it would be ${(rpn.value / (o.value * d.value)).toFixed(2)})`, { ids: [section.id] }));
    }
  }
  return findings;
}

function isWholeRating(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= 10;
}
