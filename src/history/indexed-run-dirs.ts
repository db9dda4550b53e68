// The run folders a history store indexed, for commands that read evidence from folders (`fmea score
// --history`): Occurrence is then measured over every run the store knows, per configuration.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { InputError } from '../errors.js';
import { openFilledHistory } from './rebuild-history.js';

/** Folders of every measured run (not skipped ones) in the store at `path`, oldest first, that still exist. */
export async function listIndexedRunDirs(path: string): Promise<string[]> {
  if (!existsSync(path)) throw new InputError(`${path}: no history store here`, { hint: 'pass reports/history.db (written by `faultline run`), or run `faultline history rebuild`' });
  const { db } = await openFilledHistory(path, dirname(path));
  try {
    const rows = db.prepare("SELECT dir FROM runs WHERE kind <> 'skipped' ORDER BY started_at").all() as { dir: string }[];
    return rows.map((row) => row.dir).filter((dir) => existsSync(join(dir, 'summary.json')));
  } finally {
    db.close();
  }
}
