// Reads a journal back, tolerating a torn last line (a run killed mid-write).
import { readFile } from 'node:fs/promises';
import type { JournalEvent } from './events.js';

/** Returns the events of a journal file in order; a final partial line is ignored. */
export async function readJournal(path: string): Promise<JournalEvent[]> {
  const text = await readFile(path, 'utf8');
  const events: JournalEvent[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch {
      // A torn last line from an interrupted run; everything before it is intact.
    }
  }
  return events;
}
