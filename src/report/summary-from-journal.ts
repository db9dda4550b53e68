// Rebuilds a run summary from its journal alone (a run killed before it wrote summary.json): the same
// fold of the run's events that the live run writes its summary from.
import type { Summary } from '../analyse/summary-schema.js';
import { countVerdicts } from '../analyse/verdict-counts.js';
import { foldRunEvents } from '../events/fold-summary.js';
import type { JournalEvent } from '../journal/events.js';

/** The summary the journal supports: what the live run would have written up to its last event (an older journal: no FMEA rows or expectations). */
export function rebuildSummaryFromJournal(events: readonly JournalEvent[], runDir: string): Summary {
  return foldRunEvents(events, runDir);
}

/** A summary.json written before verdict counts and reasons existed, completed so every output can rely on them. */
export function fillVerdictFields(summary: Summary): Summary {
  for (const scenario of summary.scenarios) if (!Array.isArray(scenario.reasons)) scenario.reasons = [];
  if (!summary.counts) summary.counts = countVerdicts(summary.scenarios);
  return summary;
}
