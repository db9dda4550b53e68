// Reads a run directory back: its summary.json (or, failing that, a summary rebuilt from journal.jsonl) and journal.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { getErrorMessage, InputError } from '../errors.js';
import type { JournalEvent } from '../journal/events.js';
import { readJournal } from '../journal/reader.js';
import { fillVerdictFields, rebuildSummaryFromJournal } from './summary-from-journal.js';

/** A run as found on disk. */
export interface RunDirContents {
  dir: string;
  summary: Summary;
  journal: JournalEvent[];
  notes: string[];
}

/** Reads one run directory; neither summary.json nor journal.jsonl there is an InputError (exit 2). */
export async function readRunDir(dir: string): Promise<RunDirContents> {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new InputError(`${dir}: not a run directory`, { hint: 'pass folders such as reports/latest or reports/<run-id>' });
  }
  const summaryFile = join(dir, 'summary.json');
  const journalFile = join(dir, 'journal.jsonl');
  const journal = existsSync(journalFile) ? await readJournal(journalFile) : [];
  const notes: string[] = [];
  if (existsSync(summaryFile)) return { dir, summary: parseSummary(summaryFile), journal, notes };
  if (journal.length === 0) {
    throw new InputError(`${dir}: no summary.json or journal.jsonl here`, { hint: 'pass a folder that `faultline run` wrote' });
  }
  notes.push(`${dir}: no summary.json (the run was interrupted); rebuilt from journal.jsonl, which does not carry FMEA rows or expectations`);
  return { dir, summary: rebuildSummaryFromJournal(journal, dir), journal, notes };
}

// summary.json, checked only as far as the report relies on it.
function parseSummary(file: string): Summary {
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new InputError(`${file}: cannot read the run summary: ${getErrorMessage(error)}`, { cause: error });
  }
  const summary = value as Partial<Summary> | null;
  if (!summary || typeof summary.runId !== 'string' || !Array.isArray(summary.scenarios)) {
    throw new InputError(`${file}: not a faultline run summary (expected runId and scenarios)`);
  }
  return fillVerdictFields(summary as Summary);
}
