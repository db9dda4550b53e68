// `faultline history rebuild`: empties the store and indexes every run folder again (the folders are
// the source of truth; the store is only an index of them).
import { existsSync, lstatSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { getErrorMessage } from '../errors.js';
import { indexRunDir, type IndexedRun } from './index-run.js';
import { openHistory, type HistoryDb, type OpenedHistory } from './open-history.js';
import { SKIPPED_FILE } from './skipped-run.js';

/** What a rebuild indexed, and the folders it could not read (each with why). */
export interface RebuildResult {
  indexed: IndexedRun[];
  problems: string[];
}

/** Run folders under reportsDir: real directories (not the `latest` link) holding a summary, a journal or a skip record. */
export function listRunFolders(reportsDir: string): string[] {
  const root = resolve(reportsDir);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((path) => lstatSync(path).isDirectory())
    .filter((path) => ['summary.json', 'journal.jsonl', SKIPPED_FILE].some((file) => existsSync(join(path, file))))
    .sort();
}

/** Replaces the store's content with an index of every run folder under reportsDir. */
export async function rebuildHistory(db: HistoryDb, reportsDir: string): Promise<RebuildResult> {
  db.exec('DELETE FROM notes; DELETE FROM scenario_runs; DELETE FROM scenarios; DELETE FROM runs;');
  const result: RebuildResult = { indexed: [], problems: [] };
  for (const folder of listRunFolders(reportsDir)) {
    try {
      const indexed = await indexRunDir(db, folder);
      result.indexed.push(indexed);
      result.problems.push(...indexed.notes);
    } catch (error) {
      result.problems.push(`${folder}: left out: ${getErrorMessage(error)}`);
    }
  }
  return result;
}

/** Opens the store and, when it is new (or of another schema version), fills it from the run folders first. */
export async function openFilledHistory(path: string, reportsDir: string): Promise<OpenedHistory & { problems: string[] }> {
  const opened = openHistory(path);
  if (!opened.fresh) return { ...opened, problems: [] };
  try {
    const rebuilt = await rebuildHistory(opened.db, reportsDir);
    return { ...opened, problems: rebuilt.problems };
  } catch (error) {
    opened.db.close();
    throw error;
  }
}
