// Run summaries (reports/<run>/summary.json) for claims: newest first.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { InputError } from '../errors.js';
import { readInputFile } from '../fmea/worksheet/load-worksheet.js';

/** Reads run directories or summary.json files; an unreadable one is an InputError naming it. */
export function readRunSummaries(paths: readonly string[]): Summary[] {
  return paths.map((path) => {
    const file = existsSync(path) && statSync(path).isDirectory() ? join(path, 'summary.json') : path;
    if (!existsSync(file)) throw new InputError(`${path}: no summary.json here`, { hint: 'pass a run directory such as reports/latest, or its summary.json' });
    let value: Summary;
    try {
      value = JSON.parse(readInputFile(file)) as Summary;
    } catch (error) {
      if (error instanceof InputError) throw error;
      throw new InputError(`${file}: invalid JSON: ${(error as Error).message}`, { cause: error });
    }
    if (!value || typeof value !== 'object' || !Array.isArray(value.scenarios)) throw new InputError(`${file}: expected a run summary (an object with runId and scenarios)`);
    return value;
  }).sort((a, b) => String(b.startedAt ?? '').localeCompare(String(a.startedAt ?? '')));
}
