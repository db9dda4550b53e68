// Totals that do not add up: per-priority sums and counts, the document's total and average RPN.
import type { FmeaDocument, PriorityGroup, TableEntry } from '../document/model.js';
import { createFinding, formatLines, formatLineSpan, formatNumber, type LintFinding } from './finding.js';
import { getRatedModes, getTableModes, sumRpn } from './rated-modes.js';

/** Checks stated per-priority totals and counts against their lists and the table, and the overall figures. */
export function checkTotals(document: FmeaDocument): LintFinding[] {
  return [...document.priorityGroups.flatMap((group) => checkGroup(document, group)), ...checkOverall(document)];
}

function checkGroup(document: FmeaDocument, group: PriorityGroup): LintFinding[] {
  const findings: LintFinding[] = [];
  const rpnOf = (id: string, stated?: number) => stated ?? document.tables.find((entry) => entry.id === id)?.rpn;
  const listedSum = group.items.reduce((sum, item) => sum + (rpnOf(item.id, item.rpn) ?? 0), 0);
  const { statedTotal, statedCount } = group;
  if (group.items.length > 0 && statedTotal && statedTotal.value !== listedSum) {
    findings.push(createFinding('priority-total', [statedTotal.line, ...group.items.map((item) => item.line)],
      `${group.name}: Total RPN ${formatNumber(statedTotal.value)}, but the ${group.items.length} failure mode${group.items.length === 1 ? '' : 's'} listed (${formatLines(group.items.map((item) => item.line))}) sum${group.items.length === 1 ? 's' : ''} to ${formatNumber(listedSum)}`));
  }
  if (group.items.length > 0 && statedCount && statedCount.value !== group.items.length) {
    findings.push(createFinding('priority-count', [statedCount.line, ...group.items.map((item) => item.line)],
      `${group.name}: ${statedCount.value} failure modes stated, but ${group.items.length} ${group.items.length === 1 ? 'is' : 'are'} listed (${formatLines(group.items.map((item) => item.line))})`));
  }
  const rows = document.tables.filter((entry) => entry.priority?.toUpperCase() === group.name);
  if (rows.length === 0) return findings;
  const listed = new Set(group.items.map((item) => item.id));
  const sameMembers = group.items.length > 0 && rows.length === listed.size && rows.every((row) => listed.has(row.id));
  const rowSum = rows.reduce((sum, row) => sum + (row.rpn ?? 0), 0);
  const totalDiffers = statedTotal !== undefined && statedTotal.value !== rowSum;
  const countDiffers = statedCount !== undefined && statedCount.value !== rows.length;
  if (!sameMembers && (totalDiffers || countDiffers)) {
    const stated = [statedCount ? `${statedCount.value} failure modes` : undefined, statedTotal ? `Total RPN ${formatNumber(statedTotal.value)}` : undefined].filter(Boolean).join(', ');
    findings.push(createFinding('priority-table', [statedCount?.line ?? 0, statedTotal?.line ?? 0, ...describeDifference(rows, group).lines],
      `${group.name}: ${stated} stated, but the table has ${rows.length} ${group.name} row${rows.length === 1 ? '' : 's'} with RPN ${formatNumber(rowSum)}${describeDifference(rows, group).text}`));
  }
  return findings;
}

function describeDifference(rows: TableEntry[], group: PriorityGroup): { text: string; lines: number[] } {
  if (group.items.length === 0) return { text: '', lines: rows.map((row) => row.line) };
  const listed = new Set(group.items.map((item) => item.id));
  const inTable = new Set(rows.map((row) => row.id));
  const extra = rows.filter((row) => !listed.has(row.id));
  const missing = group.items.filter((item) => !inTable.has(item.id));
  const parts = [
    ...extra.map((row) => `${row.id} (line ${row.line}) is ${group.name} in the table but not listed here`),
    ...missing.map((item) => `${item.id} (line ${item.line}) is listed here but not ${group.name} in the table`),
  ];
  return { text: parts.length ? `: ${parts.join('; ')}` : '', lines: [...extra.map((row) => row.line), ...missing.map((item) => item.line)] };
}

// A stated total or average is accepted when it matches the table, or every rated failure mode.
function checkOverall(document: FmeaDocument): LintFinding[] {
  const table = getTableModes(document);
  const all = getRatedModes(document);
  if (all.length === 0) return [];
  const findings: LintFinding[] = [];
  const tableLines = table.map((mode) => mode.line);
  const where = table.length > 0 ? `the table's RPN column (${formatLineSpan(tableLines)}) sums to ${formatNumber(sumRpn(table))}` : '';
  const allText = `the ${all.length} rated failure modes sum to ${formatNumber(sumRpn(all))}`;
  for (const total of document.totalRpn) {
    if ((table.length > 0 && total.value === sumRpn(table)) || total.value === sumRpn(all)) continue;
    findings.push(createFinding('total-rpn', [total.line], `Total RPN ${formatNumber(total.value)}, but ${[where, table.length !== all.length ? allText : ''].filter(Boolean).join('; ')}`));
  }
  const statedCount = document.counts.find((count) => count.subject.kind === 'total')?.count;
  for (const average of document.averageRpn) {
    const candidates = [
      table.length > 0 ? sumRpn(table) / table.length : undefined,
      sumRpn(all) / all.length,
      ...document.totalRpn.filter(() => statedCount).map((total) => total.value / statedCount!),
    ].filter((value): value is number => value !== undefined);
    if (candidates.some((value) => Math.abs(value - average.value) < 1)) continue;
    const means = candidates.map((value) => formatNumber(Math.round(value * 10) / 10)).join(' / ');
    findings.push(createFinding('average-rpn', [average.line], `Average RPN ${formatNumber(average.value)}, but the figures give ${means}`));
  }
  return findings;
}
