// Worksheet files a report includes: given ones, or `worksheet.yaml|yml|csv` beside the scenarios or above them.
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { getErrorMessage } from '../errors.js';
import { loadWorksheet, type WorksheetRow } from '../fmea/index.js';

const NAMES = ['worksheet.yaml', 'worksheet.yml', 'worksheet.csv'];

/** Worksheet files in the folders of the run's scenario files and their parents, up to `root`. */
export function findWorksheetFiles(summary: Summary, root = process.cwd()): string[] {
  const found = new Set<string>();
  for (const scenario of summary.scenarios) {
    if (!scenario.file) continue;
    let dir = dirname(resolve(root, scenario.file));
    for (;;) {
      for (const name of NAMES) if (existsSync(resolve(dir, name))) found.add(resolve(dir, name));
      const outside = relative(root, dir);
      if (outside === '' || outside.startsWith('..') || isAbsolute(outside) || dirname(dir) === dir) break;
      dir = dirname(dir);
    }
  }
  return [...found].map((file) => relative(root, file) || file);
}

/** Rows of every worksheet; one that does not load is a note (strict: an error) rather than a missing report. */
export function loadWorksheetRows(files: readonly string[], options: { strict?: boolean } = {}): { rows: WorksheetRow[]; files: string[]; notes: string[] } {
  const rows: WorksheetRow[] = [];
  const loaded: string[] = [];
  const notes: string[] = [];
  for (const file of files) {
    try {
      rows.push(...loadWorksheet(file).worksheet.rows);
      loaded.push(file);
    } catch (error) {
      if (options.strict) throw error;
      notes.push(`worksheet ${file} was left out: ${getErrorMessage(error)}`);
    }
  }
  return { rows, files: loaded, notes };
}
