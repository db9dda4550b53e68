// Turns an FMEA document (Markdown tables and rated sections, CSV or YAML) into a worksheet.
import { basename } from 'node:path';
import { InputError } from '../../errors.js';
import type { FmeaDocument, SectionEntry, TableEntry, UnratedMode } from '../document/model.js';
import { SHAPE_NAMES } from '../document/unrated-modes.js';
import { getDocumentFormat, readFmeaDocument } from '../document/read-document.js';
import { getImpliedSeverity } from '../lint/rated-modes.js';
import { getActionPriority } from '../scoring/action-priority.js';
import { computeRpn, isRating } from '../scoring/rpn.js';
import type { Worksheet, WorksheetRow } from '../schema/worksheet.js';
import { isCsvFile, loadWorksheet, readInputFile } from '../worksheet/load-worksheet.js';
import { readCsvWorksheet } from '../worksheet/read-csv-worksheet.js';
import { validateWorksheet } from '../worksheet/validate-worksheet.js';

/** A worksheet made from a document, and what the import had to decide on the way. */
export interface ImportResult {
  worksheet: Worksheet;
  /** Rows skipped or ratings chosen between, each naming file:line. */
  notes: string[];
  /** The shapes the rows were recognised in, in words (e.g. "rated FMEA tables and sections"). */
  shapes: string[];
}

/** How to import. */
export interface ImportOptions {
  /** Keep the document's own Risk Level and priority columns (left out by default: score computes them from the bands). */
  keepLevels?: boolean;
  /** The file's text, when already read. */
  text?: string;
}

/** Imports a document; table rows win over section ratings, and every row records its source line. */
export function importWorksheet(file: string, options: ImportOptions = {}): ImportResult {
  const text = options.text ?? readInputFile(file);
  const format = getDocumentFormat(file, text);
  let result: ImportResult;
  if (format === 'yaml') result = { worksheet: completeRows(loadWorksheet(file, text).worksheet), notes: [], shapes: ['worksheet YAML'] };
  else if (isCsvFile(file)) {
    const csv = readCsvWorksheet(text, file);
    result = { worksheet: completeRows(validateWorksheet(csv.value, file, csv.positions)), notes: [], shapes: ['CSV worksheet'] };
  } else result = importMarkdown(readFmeaDocument(file, text));
  return options.keepLevels ? result : { ...result, worksheet: { ...result.worksheet, rows: result.worksheet.rows.map(dropLevels) } };
}

// An unrated row keeps the document's priority: with no S/O/D, it is the only ranking there is.
function dropLevels(row: WorksheetRow): WorksheetRow {
  const { riskLevel: _riskLevel, priority, ...rest } = row;
  return row.severity === undefined && priority !== undefined ? { ...rest, priority } : rest;
}

/** Fills in RPN and AP from S/O/D (a stated RPN that disagrees is replaced: lint reports it first); an unrated row stays unrated. */
export function completeRows(worksheet: Worksheet): Worksheet {
  return {
    ...worksheet,
    rows: worksheet.rows.map((row) => (row.severity === undefined || row.occurrence === undefined || row.detection === undefined ? row : {
      ...row,
      rpn: computeRpn(row.severity, row.occurrence, row.detection),
      ap: getActionPriority(row.severity, row.occurrence, row.detection),
    })),
  };
}

function importMarkdown(document: FmeaDocument): ImportResult {
  const name = basename(document.file);
  const notes: string[] = [];
  const rows = new Map<string, WorksheetRow>();
  const sections = new Map<string, SectionEntry>();
  for (const section of document.sections) if (!sections.has(section.id)) sections.set(section.id, section);
  for (const entry of document.tables) {
    if (rows.has(entry.id)) {
      notes.push(`${document.file}:${entry.line} ${entry.id} appears again; the row at ${rows.get(entry.id)!.source} is kept`);
      continue;
    }
    const row = fromTable(entry, sections.get(entry.id), name);
    const conflict = noteSectionConflict(entry, sections.get(entry.id), document.file);
    if (conflict) notes.push(conflict);
    if (row) rows.set(entry.id, row);
    else notes.push(`${document.file}:${entry.line} ${entry.id} has no S/O/D; skipped`);
  }
  for (const section of sections.values()) {
    if (rows.has(section.id)) continue;
    const row = fromSection(section, name);
    if (row) rows.set(section.id, row);
    else if (section.rpn || section.occurrence || section.detection) notes.push(`${document.file}:${section.line} ${section.id} does not state S, O and D (or an RPN they imply); skipped`);
  }
  const shapes = rows.size > 0 ? ['rated FMEA tables and sections'] : [];
  if (rows.size === 0 && document.unrated && document.unrated.length > 0) {
    for (const mode of document.unrated) rows.set(mode.id, fromUnrated(mode, name));
    shapes.push(...[...new Set(document.unrated.map((mode) => mode.shape))].map((shape) => SHAPE_NAMES[shape]));
  }
  if (rows.size === 0) {
    throw new InputError(`${document.file}: no FMEA table or rated section found`, {
      hint: 'a table needs Severity, Occurrence and Detection columns (and an ID column); a section needs "**Severity**: n" lines',
    });
  }
  return { worksheet: { ...(document.title ? { title: document.title } : {}), source: document.file, rows: [...rows.values()] }, notes, shapes };
}

// An unrated mode keeps the document's words; S/O/D stay empty until someone rates it or runs its experiment.
function fromUnrated(mode: UnratedMode, name: string): WorksheetRow {
  const row: Record<string, unknown> = {};
  const fields: Record<string, string | undefined> = {
    id: mode.id, component: mode.component, failureMode: mode.failureMode, effect: mode.effect, cause: mode.cause,
    preventionControls: mode.preventionControls, detectionControls: mode.detectionControls, priority: mode.priority,
    blastRadius: mode.blastRadius, effort: mode.effort, documentStatus: mode.documentStatus, reference: mode.reference,
    recommendedAction: mode.recommendedAction, source: `${name}:${mode.line}`,
  };
  for (const [key, value] of Object.entries(fields)) if (value !== undefined && value !== '') row[key] = value;
  return row as WorksheetRow;
}

function fromTable(entry: TableEntry, section: SectionEntry | undefined, name: string): WorksheetRow | undefined {
  const { severity, occurrence, detection } = entry;
  if (!isRating(severity) || !isRating(occurrence) || !isRating(detection)) return undefined;
  const text = entry.text;
  return buildRow({
    id: entry.id,
    component: text.component || section?.component,
    function: text.function,
    failureMode: text.failureMode || section?.title || entry.id,
    effect: text.effect || section?.effect,
    cause: text.cause || section?.cause,
    preventionControls: text.preventionControls,
    detectionControls: text.detectionControls,
    severity, occurrence, detection,
    riskLevel: entry.riskLevel,
    priority: entry.priority,
    recommendedAction: text.recommendedAction,
    owner: text.owner,
    source: `${name}:${entry.line}`,
  });
}

function fromSection(section: SectionEntry, name: string): WorksheetRow | undefined {
  const severity = section.severity?.value ?? getImpliedSeverity(section);
  const occurrence = section.occurrence?.value;
  const detection = section.detection?.value;
  if (!isRating(severity) || !isRating(occurrence) || !isRating(detection)) return undefined;
  const lines = [section.severity, section.occurrence, section.detection, section.rpn].flatMap((stated) => (stated ? [stated.line] : []));
  return buildRow({
    id: section.id,
    component: section.component,
    failureMode: section.title || section.scenario || section.id,
    effect: section.effect,
    cause: section.cause,
    severity, occurrence, detection,
    source: `${name}:${Math.min(...lines)}${section.severity ? '' : ' (S implied by RPN ÷ (O × D))'}`,
  });
}

// Drops empty fields and adds RPN and AP, keeping the worksheet's column order.
function buildRow(fields: Record<string, string | number | undefined> & Pick<WorksheetRow, 'id' | 'failureMode'> & { severity: number; occurrence: number; detection: number }): WorksheetRow {
  const row: Record<string, unknown> = {};
  const ordered = {
    ...fields,
    rpn: computeRpn(fields.severity, fields.occurrence, fields.detection),
    ap: getActionPriority(fields.severity, fields.occurrence, fields.detection),
  };
  for (const key of ['id', 'component', 'function', 'failureMode', 'effect', 'cause', 'preventionControls', 'detectionControls', 'severity', 'occurrence', 'detection', 'rpn', 'ap', 'riskLevel', 'priority', 'recommendedAction', 'owner', 'source']) {
    const value = (ordered as Record<string, unknown>)[key];
    if (value !== undefined && value !== '') row[key] = value;
  }
  return row as WorksheetRow;
}

// The table's ratings are kept; a section that rates the same id differently is worth a note.
function noteSectionConflict(entry: TableEntry, section: SectionEntry | undefined, file: string): string | undefined {
  if (!section) return undefined;
  const stated = {
    S: section.severity?.value ?? getImpliedSeverity(section), O: section.occurrence?.value, D: section.detection?.value, RPN: section.rpn?.value,
  };
  const table = { S: entry.severity, O: entry.occurrence, D: entry.detection, RPN: entry.rpn };
  const differing = (['S', 'O', 'D', 'RPN'] as const).filter((key) => stated[key] !== undefined && table[key] !== undefined && stated[key] !== table[key]);
  if (differing.length === 0) return undefined;
  const describe = (figures: typeof stated) => differing.map((key) => `${key} ${figures[key]}`).join(', ');
  return `${file}:${entry.line} ${entry.id}: the table's ${describe(table)} kept; the section at line ${section.line} says ${describe(stated)} (see \`faultline fmea lint\`)`;
}
