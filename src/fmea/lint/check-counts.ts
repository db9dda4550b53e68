// Counts the document states against the failure modes it actually rates.
import type { BandStatement, FmeaDocument } from '../document/model.js';
import { getIdFamily } from '../document/read-document.js';
import { formatBandRange } from '../scoring/risk-bands.js';
import { createFinding, formatLines, formatLineSpan, type LintFinding } from './finding.js';
import { getRatedFamilies, getRatedModes, getTableModes, type RatedMode } from './rated-modes.js';

// A stated count is accepted when it matches the table or all rated failure modes (the document may mean either).
interface Population {
  table: RatedMode[];
  all: RatedMode[];
}

/** Checks "N failure modes / single points of failure / …", band counts, percentages and thresholds. */
export function checkCounts(document: FmeaDocument): LintFinding[] {
  const population = { table: getTableModes(document), all: getRatedModes(document) };
  if (population.all.length === 0) return [];
  return [
    ...checkCountStatements(document, population),
    ...document.bandSets.flatMap((set) => checkBandCounts(set, population)),
    ...checkThresholds(document, population),
    ...checkLevelCounts(document, population),
  ];
}

// "5 critical": the table's Risk Level column, or the modes in the document's own band of that name.
function checkLevelCounts(document: FmeaDocument, { all }: Population): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const statement of document.levelCounts ?? []) {
    const inColumn = document.tables.filter((entry) => entry.riskLevel?.toLowerCase() === statement.level).length;
    const bands = document.bandSets.flat().filter((band) => band.label.toLowerCase() === statement.level);
    const inBands = bands.map((band) => all.filter((mode) => inBand(mode, band)).length);
    const hasColumn = document.tables.some((entry) => entry.riskLevel !== undefined);
    if (!hasColumn && bands.length === 0) continue; // nothing in the document says what that level is
    if ((hasColumn && inColumn === statement.count) || inBands.includes(statement.count)) continue;
    const parts = [
      hasColumn ? `the table's Risk Level column has ${inColumn}` : undefined,
      ...bands.map((band, index) => `${inBands[index]} of the ${all.length} rated failure modes are "${band.label}" (RPN ${formatBandRange(band)}) by ${formatLines([band.line])}`),
    ].filter(Boolean);
    findings.push(createFinding('level-count', [statement.line], `"${statement.phrase}" stated, but ${parts.join('; ')}`));
  }
  return findings;
}

function checkCountStatements(document: FmeaDocument, { table, all }: Population): LintFinding[] {
  const findings: LintFinding[] = [];
  const families = getRatedFamilies(all);
  const ids = getAllIds(document, families);
  for (const statement of document.counts) {
    const { subject } = statement;
    let actual: number[];
    let text: string;
    if (subject.kind === 'total') {
      actual = [ids.length, table.length];
      text = `the document has ${ids.length} failure-mode ids${table.length && table.length !== ids.length ? ` (${table.length} in the table)` : ''}`;
    } else if (subject.kind === 'categories') {
      actual = [families.length];
      text = `its failure-mode ids fall in ${families.length} families (${families.join(', ')})`;
    } else {
      const members = ids.filter((id) => getIdFamily(id) === subject.prefix);
      actual = [members.length];
      text = `the document has ${members.length} ${subject.prefix} ids (${abbreviate(members)})`;
    }
    if (actual.includes(statement.count)) continue;
    // Categories need not be id families, so that one is a warning.
    findings.push(createFinding('count', [statement.line], `"${statement.phrase}", but ${text}`, { severity: subject.kind === 'categories' ? 'warning' : 'error' }));
  }
  return findings;
}

function checkBandCounts(set: BandStatement[], { table, all }: Population): LintFinding[] {
  const findings: LintFinding[] = [];
  const counted = set.filter((band) => band.count !== undefined);
  const sum = counted.reduce((total, band) => total + band.count!, 0);
  for (const band of counted) {
    const inTable = table.filter((mode) => inBand(mode, band)).length;
    const inAll = all.filter((mode) => inBand(mode, band)).length;
    if (band.count !== inAll && (table.length === 0 || band.count !== inTable)) {
      const tableText = table.length > 0 ? `the table has ${inTable}` : '';
      const allText = table.length !== all.length || table.length === 0 ? `the ${all.length} rated failure modes have ${inAll}` : '';
      findings.push(createFinding('band-count', band.lines,
        `${band.count} "${band.label}" failures (RPN ${formatBandRange(band)}) stated, but ${[tableText, allText].filter(Boolean).join(' and ')}`));
    }
    if (band.percent !== undefined && sum > 0 && Math.abs(band.percent - (100 * band.count!) / sum) > 1) {
      findings.push(createFinding('band-percent', band.lines,
        `${band.count} "${band.label}" failures are ${((100 * band.count!) / sum).toFixed(1)}% of the ${sum} counted at ${formatLineSpan(counted.map((other) => other.line))}, not ${band.percent}%`));
    }
  }
  return findings;
}

// "Acceptable Risk Threshold: 50 (33 failures exceed this)" against the modes and the document's own distributions.
function checkThresholds(document: FmeaDocument, { table, all }: Population): LintFinding[] {
  const findings: LintFinding[] = [];
  for (const statement of document.thresholds) {
    const above = (modes: RatedMode[]) => modes.filter((mode) => (mode.rpn ?? 0) > statement.threshold).length;
    const fromBands = document.bandSets
      .filter((set) => set.every((band) => band.count !== undefined && (band.min >= statement.threshold || band.max <= statement.threshold)))
      .map((set) => ({ set, count: set.filter((band) => band.min >= statement.threshold).reduce((sum, band) => sum + band.count!, 0) }));
    const accepted = [above(all), ...(table.length > 0 ? [above(table)] : []), ...fromBands.map((entry) => entry.count)];
    if (accepted.includes(statement.count)) continue;
    const parts = [
      table.length > 0 ? `the table has ${above(table)} above ${statement.threshold}` : undefined,
      table.length !== all.length ? `the ${all.length} rated failure modes have ${above(all)}` : undefined,
      ...fromBands.map(({ set, count }) => `the distribution at ${formatLines(set.map((band) => band.line))} gives ${count}`),
    ].filter(Boolean);
    findings.push(createFinding('threshold-count', [statement.line, ...fromBands.flatMap(({ set }) => set.map((band) => band.line))],
      `${statement.count} failures exceed the ${statement.label} threshold ${statement.threshold}, but ${parts.join('; ')}`));
  }
  return findings;
}

// Every id of a rated family: rated ones, and unrated headings or list items of the same family.
function getAllIds(document: FmeaDocument, families: string[]): string[] {
  const ids = new Set<string>();
  const add = (id: string) => { if (families.includes(getIdFamily(id) ?? '')) ids.add(id); };
  document.tables.forEach((entry) => add(entry.id));
  document.sections.forEach((section) => add(section.id));
  document.priorityGroups.forEach((group) => group.items.forEach((item) => add(item.id)));
  return [...ids];
}

function inBand(mode: RatedMode, band: BandStatement): boolean {
  return mode.rpn !== undefined && mode.rpn >= band.min && mode.rpn <= band.max;
}

// SPOF-001 … SPOF-009 rather than nine ids.
function abbreviate(ids: string[]): string {
  if (ids.length <= 3) return ids.join(', ');
  return `${ids[0]} … ${ids.at(-1)}`;
}
