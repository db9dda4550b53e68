// Priorities against the document's own definitions: group labels, stated RPN criteria, configured buckets.
import { multiplyStatedRatings } from '../scoring/rpn.js';
import type { FmeaDocument } from '../document/model.js';
import type { FmeaConfig } from '../schema/config.js';
import { formatBandRange, getPriorityBucket, isSameLevel } from '../scoring/risk-bands.js';
import { createFinding, type LintFinding } from './finding.js';

/** Checks each row's priority against its risk level, the document's criteria and (for worksheets) the buckets. */
export function checkPriorities(document: FmeaDocument, config: FmeaConfig): LintFinding[] {
  return [
    ...checkPriorityLabels(document, config),
    ...checkPriorityCriteria(document),
    ...(document.format === 'markdown' ? [] : checkPriorityBuckets(document, config)),
  ];
}

// "#### Priority 1 (Critical - …)" makes P1 the Critical priority; a P1 row rated HIGH contradicts it.
function checkPriorityLabels(document: FmeaDocument, config: FmeaConfig): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of document.tables) {
    const group = document.priorityGroups.find((candidate) => candidate.name === entry.priority?.toUpperCase() && candidate.label);
    if (!group || !entry.riskLevel || isSameLevel(group.label!, entry.riskLevel, config.levelSynonyms)) continue;
    findings.push(createFinding('priority-level', [entry.line, group.line],
      `${entry.id}: priority ${group.name} is "${group.label}" (line ${group.line}), but its Risk Level is ${entry.riskLevel}`, { ids: [entry.id] }));
  }
  return findings;
}

// "P1 failures (8 items, RPN >300)": every P1 row must have RPN > 300, and there must be 8 of them.
function checkPriorityCriteria(document: FmeaDocument): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const criterion of document.priorityCriteria) {
    const members = getMembers(document, criterion.priority);
    const outside = members.filter((member) => member.rpn !== undefined && (member.rpn < criterion.min || member.rpn > criterion.max));
    if (outside.length > 0) {
      const listed = outside.map((member) => `${member.id} ${member.rpn} (line ${member.line})`).join(', ');
      findings.push(createFinding('priority-criterion', [criterion.line, ...outside.map((member) => member.line)],
        `"${criterion.text}", but ${outside.length} of the ${members.length} ${criterion.priority} failure modes are not RPN ${formatBandRange(criterion)}: ${listed}`,
        { ids: outside.map((member) => member.id) }));
    }
    if (criterion.count !== undefined && members.length > 0 && criterion.count !== members.length) {
      findings.push(createFinding('priority-criterion', [criterion.line], `"${criterion.text}" but the document has ${members.length} ${criterion.priority} failure modes`));
    }
  }
  return findings;
}

// Worksheets (YAML, CSV) have no prose to define priorities: the configured buckets apply.
function checkPriorityBuckets(document: FmeaDocument, config: FmeaConfig): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const entry of document.tables) {
    const rpn = entry.rpn ?? multiplyStatedRatings(entry);
    if (!entry.priority || rpn === undefined) continue;
    const bucket = getPriorityBucket(rpn, config.priorityBuckets);
    if (!bucket || bucket.name.toUpperCase() === entry.priority.toUpperCase()) continue;
    findings.push(createFinding('priority-bucket', [entry.line], `${entry.id}: priority ${entry.priority}, but RPN ${rpn} is ${bucket.name} (${formatBandRange(bucket)}) by the configured priority buckets`, { ids: [entry.id] }));
  }
  return findings;
}

/** Failure modes with a priority: table rows with it, and ids listed under its heading. */
export function getMembers(document: FmeaDocument, priority: string): { id: string; line: number; rpn?: number }[] {
  const members = new Map<string, { id: string; line: number; rpn?: number }>();
  for (const entry of document.tables) {
    const rpn = entry.rpn ?? multiplyStatedRatings(entry);
    if (entry.priority?.toUpperCase() === priority) members.set(entry.id, { id: entry.id, line: entry.line, ...(rpn !== undefined ? { rpn } : {}) });
  }
  for (const group of document.priorityGroups.filter((candidate) => candidate.name === priority)) {
    for (const item of group.items) if (!members.has(item.id)) members.set(item.id, item);
  }
  return [...members.values()];
}

