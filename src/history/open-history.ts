// Opens the history store (SQLite through better-sqlite3): reports/history.db unless a path is given.
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';
import type BetterSqlite3 from 'better-sqlite3';
import { InputError, getErrorMessage } from '../errors.js';
import { HISTORY_DDL, HISTORY_SCHEMA_VERSION } from './history-schema.js';

/** An open history store. */
export type HistoryDb = BetterSqlite3.Database;

/** Where the store lives when no --history is given: beside the run folders it indexes. */
export function getDefaultHistoryPath(reportsDir = 'reports'): string {
  return resolve(reportsDir, 'history.db');
}

/** What opening found: a store of another schema version is emptied, and the caller re-indexes the folders. */
export interface OpenedHistory {
  db: HistoryDb;
  path: string;
  /** True when the tables were (re)created, so the store holds nothing until the folders are indexed. */
  fresh: boolean;
}

/** Opens (creating if needed) the store at `path`; an unreadable file is an InputError naming it. */
export function openHistory(path: string): OpenedHistory {
  const file = resolve(path);
  mkdirSync(dirname(file), { recursive: true });
  // better-sqlite3 is CommonJS with a native addon; createRequire keeps the CLI's start-up lazy about it.
  const Database = createRequire(import.meta.url)('better-sqlite3') as typeof BetterSqlite3;
  let db: HistoryDb;
  try {
    db = new Database(file, { timeout: 5000 });
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
  } catch (error) {
    throw new InputError(`${file}: cannot open the history store: ${getErrorMessage(error)}`, { cause: error, hint: 'pass another --history path, or delete the file and run `faultline history rebuild`' });
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version === HISTORY_SCHEMA_VERSION) return { db, path: file, fresh: false };
  // Another version (or a new file): the folders are the source of truth, so start the tables over.
  db.transaction(() => {
    for (const table of ['notes', 'scenario_runs', 'scenarios', 'runs']) db.exec(`DROP TABLE IF EXISTS ${table}`);
    db.exec(HISTORY_DDL);
    db.pragma(`user_version = ${HISTORY_SCHEMA_VERSION}`);
  })();
  return { db, path: file, fresh: true };
}
