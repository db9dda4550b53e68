// Loads a worksheet file (YAML, JSON or CSV), validated, with the line of every row.
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { getErrorMessage, InputError } from '../../errors.js';
import { parseYamlDocuments, YamlSyntaxError, type PositionMap } from '../../scenario/positions.js';
import type { Worksheet } from '../schema/worksheet.js';
import { readCsvWorksheet } from './read-csv-worksheet.js';
import { validateWorksheet } from './validate-worksheet.js';

/** A validated worksheet, the file it came from and the 1-based line of each row. */
export interface LoadedWorksheet {
  file: string;
  worksheet: Worksheet;
  rowLines: number[];
}

/** Reads a file as text; a missing or unreadable file is an InputError (exit 2). */
export function readInputFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`${file}: cannot read: ${getErrorMessage(error)}`, { cause: error });
  }
}

/** True for file names faultline reads as CSV. */
export function isCsvFile(file: string): boolean {
  return extname(file).toLowerCase() === '.csv';
}

/** Loads and validates a YAML/JSON/CSV worksheet; problems are InputErrors naming file:line. */
export function loadWorksheet(file: string, text: string = readInputFile(file)): LoadedWorksheet {
  if (isCsvFile(file)) {
    const csv = readCsvWorksheet(text, file);
    return { file, worksheet: validateWorksheet(csv.value, file, csv.positions), rowLines: csv.rowLines };
  }
  const { value, positions } = parseWorksheetYaml(text, file);
  // A bare list of rows is accepted as { rows: [...] }.
  const wrapped = Array.isArray(value) ? { rows: value } : value;
  const located = Array.isArray(value) ? prefixPositions(positions) : positions;
  const worksheet = validateWorksheet(wrapped ?? { rows: [] }, file, located);
  return { file, worksheet, rowLines: worksheet.rows.map((_, index) => located.locate(['rows', index]).line) };
}

function parseWorksheetYaml(text: string, file: string): { value: unknown; positions: PositionMap } {
  try {
    const documents = parseYamlDocuments(text);
    if (documents.length > 1) throw new InputError(`${file}: expected one YAML document; found ${documents.length}`);
    const document = documents[0];
    if (!document) throw new InputError(`${file}:1 the worksheet is empty`, { hint: 'a worksheet is a mapping with a `rows` list' });
    return document;
  } catch (error) {
    if (error instanceof YamlSyntaxError) {
      throw new InputError(`${file}:${error.line}:${error.column} invalid YAML: ${error.message}`, { cause: error });
    }
    throw error;
  }
}

// Positions of a bare list, re-keyed under `rows` so messages read `rows.2.severity`.
function prefixPositions(positions: PositionMap): PositionMap {
  const wrapped = Object.create(positions) as PositionMap;
  wrapped.locate = (path, which) => positions.locate(path[0] === 'rows' ? path.slice(1) : path, which);
  wrapped.get = (path) => positions.get(path[0] === 'rows' ? path.slice(1) : path);
  return wrapped;
}
