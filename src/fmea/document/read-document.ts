// Reads an FMEA document — Markdown (prose and tables), CSV or a YAML worksheet — into one model.
import { extname } from 'node:path';
import type { FmeaDocument, TableEntry } from './model.js';
import { readMarkdownLines } from './markdown-lines.js';
import { extractMarkdownTables } from './markdown-tables.js';
import { isRatingTable, readTableEntries } from './table-entries.js';
import { extractRatingSections } from './rating-sections.js';
import { extractPriorityGroups } from './priority-groups.js';
import { extractBandSets } from './band-statements.js';
import { extractProseStatements } from './prose-statements.js';
import { extractRatingScales } from './rating-scales.js';
import { extractUnratedModes } from './unrated-modes.js';
import { parseCsv } from '../worksheet/csv.js';
import { isCsvFile, loadWorksheet, readInputFile } from '../worksheet/load-worksheet.js';

/** How a file is read: by extension, else by a look at its first line. */
export function getDocumentFormat(file: string, text: string): FmeaDocument['format'] {
  const extension = extname(file).toLowerCase();
  if (isCsvFile(file)) return 'csv';
  if (['.yaml', '.yml', '.json'].includes(extension)) return 'yaml';
  if (['.md', '.markdown', '.txt', '.mdx'].includes(extension)) return 'markdown';
  return /^\s*(\{|rows\s*:|-\s+id\s*:)/.test(text) ? 'yaml' : 'markdown';
}

/** Reads a document; an unreadable file or a malformed rated row is an InputError naming file:line. */
export function readFmeaDocument(file: string, text: string = readInputFile(file)): FmeaDocument {
  const format = getDocumentFormat(file, text);
  if (format === 'markdown') return readMarkdownDocument(file, text);
  const tables = format === 'csv' ? readCsvEntries(file, text) : readYamlEntries(file, text);
  return { ...emptyDocument(file, format), tables };
}

function readMarkdownDocument(file: string, text: string): FmeaDocument {
  const lines = readMarkdownLines(text);
  const allTables = extractMarkdownTables(lines);
  const tables = allTables.filter(isRatingTable).flatMap((table) => readTableEntries(table, file));
  const sections = extractRatingSections(lines);
  const priorityGroups = extractPriorityGroups(lines);
  const rated = new Set([...tables.map((entry) => entry.id), ...sections.filter(hasRating).map((section) => section.id)]);
  const families = [...new Set([...rated].map(getIdFamily).filter((family): family is string => family !== undefined))];
  const title = lines.headings.find((heading) => heading.level === 1)?.text;
  const inGroupBody = (line: number) => priorityGroups.some((group) => line > group.line && line <= group.endLine);
  return {
    ...emptyDocument(file, 'markdown'),
    ...(title ? { title } : {}),
    tables,
    sections,
    priorityGroups,
    bandSets: extractBandSets(lines),
    ...extractProseStatements(lines, families, inGroupBody),
    scales: extractRatingScales(lines),
    // A document that rates its modes is read as before; one that rates none may still list them.
    ...(rated.size === 0 ? { unrated: extractUnratedModes(lines, allTables) } : {}),
  };
}

// The header row names the columns; a CSV worksheet is linted row by row like a table.
function readCsvEntries(file: string, text: string): TableEntry[] {
  const [header, ...records] = parseCsv(text, file);
  if (!header) return [];
  return readTableEntries({ line: header.line, headers: header.fields, rows: records.map((record) => ({ line: record.line, cells: record.fields })) }, file);
}

function readYamlEntries(file: string, text: string): TableEntry[] {
  const { worksheet, rowLines } = loadWorksheet(file, text);
  return worksheet.rows.map((row, index) => ({
    id: row.id,
    line: rowLines[index] ?? 1,
    tableLine: 1,
    text: { id: row.id, failureMode: row.failureMode },
    severity: row.severity,
    occurrence: row.occurrence,
    detection: row.detection,
    ...(row.rpn !== undefined ? { rpn: row.rpn } : {}),
    ...(row.ap !== undefined ? { ap: row.ap } : {}),
    ...(row.riskLevel !== undefined ? { riskLevel: row.riskLevel } : {}),
    ...(row.priority !== undefined ? { priority: row.priority } : {}),
  }));
}

/** "SPOF-001" → "SPOF"; "FM-12" → "FM". */
export function getIdFamily(id: string): string | undefined {
  return /^(.*?)-\d+$/.exec(id)?.[1];
}

/** True when a section states at least one of S, O, D or RPN. */
export function hasRating(section: { severity?: unknown; occurrence?: unknown; detection?: unknown; rpn?: unknown }): boolean {
  return Boolean(section.severity || section.occurrence || section.detection || section.rpn);
}

function emptyDocument(file: string, format: FmeaDocument['format']): FmeaDocument {
  return {
    file, format, tables: [], sections: [], priorityGroups: [], bandSets: [], counts: [],
    totalRpn: [], averageRpn: [], thresholds: [], priorityCriteria: [], scales: {},
  };
}
