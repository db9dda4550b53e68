// Rows of an FMEA table (Markdown or CSV) read into entries; a malformed rated row is an InputError.
import { InputError } from '../../errors.js';
import type { TableEntry } from './model.js';
import { hasRatingColumns, mapColumns, NUMERIC_FIELDS, parseNumberCell, stripMarkup, type ColumnField } from '../worksheet/columns.js';

/** Rows with the line each is on. */
export interface RawTable {
  line: number;
  headers: string[];
  rows: { line: number; cells: string[] }[];
}

/** True when a table has S/O/D (or RPN) columns and so is an FMEA table. */
export function isRatingTable(table: RawTable): boolean {
  return hasRatingColumns(mapColumns(table.headers));
}

/** Reads the rows of an FMEA table; cells that should be ratings but are not name file:line. */
export function readTableEntries(table: RawTable, file: string): TableEntry[] {
  const columns = mapColumns(table.headers);
  return table.rows.map((row) => {
    if (row.cells.length !== table.headers.length) {
      throw new InputError(`${file}:${row.line} table row has ${row.cells.length} cells; its header (line ${table.line}) has ${table.headers.length}`, {
        hint: 'every row of an FMEA table needs one cell per column (escape a literal pipe as \\|)',
      });
    }
    const text: Partial<Record<ColumnField, string>> = {};
    for (const [field, index] of columns) text[field] = stripMarkup(row.cells[index] ?? '');
    const entry: TableEntry = { id: text.id || text.failureMode || `line-${row.line}`, line: row.line, tableLine: table.line, text };
    for (const field of ['severity', 'occurrence', 'detection', 'rpn'] as const) {
      const value = readNumber(text, field, file, row.line);
      if (value !== undefined) entry[field] = value;
    }
    if (text.ap) entry.ap = text.ap.toUpperCase();
    if (text.riskLevel) entry.riskLevel = text.riskLevel;
    if (text.priority) entry.priority = text.priority;
    return entry;
  });
}

function readNumber(text: Partial<Record<ColumnField, string>>, field: 'severity' | 'occurrence' | 'detection' | 'rpn', file: string, line: number): number | undefined {
  const cell = text[field];
  if (cell === undefined || !NUMERIC_FIELDS.has(field)) return undefined;
  const value = parseNumberCell(cell);
  if (value === undefined) return undefined;
  const max = field === 'rpn' ? 1000 : 10;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw new InputError(`${file}:${line} ${field}: expected an integer from 1 to ${max}; got "${cell}"`);
  }
  return value;
}
