// Notes and errors from the journal, and problems met while rendering, in the order they happened.
import type { Summary } from '../../analyse/summary-schema.js';
import type { JournalEvent } from '../../journal/events.js';
import { formatDuration } from '../format.js';

/** One line of the notes section. */
export interface NoteLine {
  kind: 'note' | 'error' | 'report';
  at: string;
  where: string;
  message: string;
}

// Events a person reads as notes: notes (by faultline or by `faultline note`), resets, halts, errors.
const NOTE_TYPES = new Set(['note', 'error', 'target.reset', 'halt']);

function describeNote(event: JournalEvent): string {
  if (event.type === 'halt') return `halted by ${String(event.by)}: ${String(event.reason)}`;
  return typeof event.message === 'string' ? event.message : JSON.stringify(event.message ?? event);
}

/** Notes and errors of the journal (time from the run's start), then the report's own problems. */
export function buildNotesView(summary: Summary, journal: readonly JournalEvent[], reportNotes: readonly string[]) {
  const start = journal.find((event) => event.type === 'run.start')?.t ?? Date.parse(summary.startedAt);
  const lines: NoteLine[] = journal
    .filter((event) => NOTE_TYPES.has(event.type))
    .map((event) => ({
      kind: event.type === 'error' ? 'error' as const : 'note' as const,
      at: `+${formatDuration(event.t - start)}`,
      where: [event.scenario, event.run !== undefined ? `run ${event.run}` : '', typeof event.author === 'string' ? event.author : ''].filter(Boolean).join(' · '),
      message: describeNote(event),
    }));
  for (const note of reportNotes) lines.push({ kind: 'report', at: '', where: 'report', message: note });
  return { lines, errors: lines.filter((line) => line.kind === 'error').length };
}
