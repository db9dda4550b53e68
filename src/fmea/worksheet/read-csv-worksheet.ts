// A worksheet from CSV: a header row naming the columns, one failure mode per record.
import { PositionMap } from '../../scenario/positions.js';
import { mapColumns, NUMERIC_FIELDS, parseNumberCell, type ColumnField } from './columns.js';
import { parseCsv } from './csv.js';

/** A worksheet value (not yet validated) and the position of each cell, for error messages. */
export interface CsvWorksheet {
  value: { rows: Record<string, unknown>[] };
  positions: PositionMap;
  rowLines: number[];
}

const REVISED: Partial<Record<ColumnField, string>> = {
  revisedSeverity: 'severity', revisedOccurrence: 'occurrence', revisedDetection: 'detection', revisedRpn: 'rpn', revisedAp: 'ap',
};

/** Reads CSV text into worksheet rows; numeric columns become numbers, blank cells are left out. */
export function readCsvWorksheet(text: string, file: string): CsvWorksheet {
  const [header, ...records] = parseCsv(text, file);
  const positions = new PositionMap();
  positions.set([], { value: { line: 1, column: 1 } });
  positions.set(['rows'], { value: { line: 1, column: 1 } });
  if (!header) return { value: { rows: [] }, positions, rowLines: [] };
  const columns = mapColumns(header.fields);
  const rows = records.map((record, index) => {
    positions.set(['rows', index], { value: { line: record.line, column: 1 } });
    const row: Record<string, unknown> = {};
    for (const [field, column] of columns) {
      const cell = (record.fields[column] ?? '').trim();
      if (cell === '') continue;
      const value = NUMERIC_FIELDS.has(field) ? toNumberOrText(cell) : field === 'ap' ? cell.toUpperCase() : cell;
      const revised = REVISED[field];
      if (revised) {
        const block = (row.revised ??= {}) as Record<string, unknown>;
        block[revised] = value;
        positions.set(['rows', index, 'revised', revised], { value: { line: record.line, column: column + 1 } });
      } else {
        row[field] = value;
        positions.set(['rows', index, field], { value: { line: record.line, column: column + 1 } });
      }
    }
    return row;
  });
  return { value: { rows }, positions, rowLines: records.map((record) => record.line) };
}

// "8" → 8; "eight" stays text so the schema can say what was found.
function toNumberOrText(cell: string): number | string {
  const value = parseNumberCell(cell);
  return value === undefined || Number.isNaN(value) ? cell : value;
}
