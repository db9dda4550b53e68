// The same failure mode rated, or prioritised, differently in two places of one document.
import { multiplyStatedRatings } from '../scoring/rpn.js';
import type { FmeaDocument } from '../document/model.js';
import { createFinding, formatLineSpan, type LintFinding } from './finding.js';
import { getImpliedSeverity } from './rated-modes.js';

type Figures = { line: number; lines?: number[]; where: string; S?: number; O?: number; D?: number; RPN?: number; impliedS?: boolean };

/** Compares every statement of each id's ratings and priority with the others. */
export function checkConflicts(document: FmeaDocument): LintFinding[] {
  return [...checkRatingConflicts(document), ...checkPriorityConflicts(document)];
}

function checkRatingConflicts(document: FmeaDocument): LintFinding[] {
  const statements = new Map<string, Figures[]>();
  const add = (id: string, figures: Figures) => statements.set(id, [...(statements.get(id) ?? []), figures]);
  for (const entry of document.tables) {
    add(entry.id, { line: entry.line, where: 'table', S: entry.severity, O: entry.occurrence, D: entry.detection, RPN: entry.rpn ?? multiplyStatedRatings(entry) });
  }
  for (const section of document.sections) {
    const implied = getImpliedSeverity(section);
    const figures: Figures = {
      line: section.rpn?.line ?? section.severity?.line ?? section.line, where: 'section',
      lines: [section.severity, section.occurrence, section.detection, section.rpn].flatMap((stated) => (stated ? [stated.line] : [])),
      S: section.severity?.value ?? implied, O: section.occurrence?.value, D: section.detection?.value, RPN: section.rpn?.value, impliedS: implied !== undefined,
    };
    if (figures.S !== undefined || figures.O !== undefined || figures.D !== undefined || figures.RPN !== undefined) add(section.id, figures);
  }
  for (const group of document.priorityGroups) {
    for (const item of group.items) if (item.rpn !== undefined) add(item.id, { line: item.line, where: `${group.name} list`, RPN: item.rpn });
  }
  const findings: LintFinding[] = [];
  for (const [id, list] of statements) {
    const differing = (['S', 'O', 'D', 'RPN'] as const).filter((key) => new Set(list.map((figures) => figures[key]).filter((value) => value !== undefined)).size > 1);
    if (differing.length === 0) continue;
    const involved = list.filter((figures) => differing.some((key) => figures[key] !== undefined));
    const described = involved.map((figures) => `${formatLineSpan(figures.lines ?? [figures.line])} (${figures.where}): ${describe(figures)}`).join('; ');
    findings.push(createFinding('rating-conflict', involved.flatMap((figures) => figures.lines ?? [figures.line]), `${id} is rated differently: ${described} — ${differing.join(', ')} differ`, { ids: [id] }));
  }
  return findings;
}

function checkPriorityConflicts(document: FmeaDocument): LintFinding[] {
  const places = new Map<string, { line: number; priority: string; where: string }[]>();
  const add = (id: string, line: number, priority: string, where: string) => places.set(id, [...(places.get(id) ?? []), { line, priority: priority.toUpperCase(), where }]);
  for (const entry of document.tables) if (entry.priority) add(entry.id, entry.line, entry.priority, 'table');
  for (const group of document.priorityGroups) for (const item of group.items) add(item.id, item.line, group.name, `listed under ${group.name} at line ${group.line}`);
  const findings: LintFinding[] = [];
  for (const [id, list] of places) {
    if (new Set(list.map((place) => place.priority)).size < 2) continue;
    const described = list.map((place) => `${place.priority} at line ${place.line} (${place.where})`).join(' vs ');
    findings.push(createFinding('priority-conflict', list.map((place) => place.line), `${id} has two priorities: ${described}`, { ids: [id] }));
  }
  return findings;
}

function describe(figures: Figures): string {
  const parts = [
    figures.S !== undefined ? `S ${figures.S}${figures.impliedS ? ' (implied by RPN ÷ (O × D))' : ''}` : undefined,
    figures.O !== undefined ? `O ${figures.O}` : undefined,
    figures.D !== undefined ? `D ${figures.D}` : undefined,
    figures.RPN !== undefined ? `RPN ${figures.RPN}` : undefined,
  ];
  return parts.filter(Boolean).join(', ');
}
