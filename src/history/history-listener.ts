// The history indexer as a listener on a run's event stream (beside the journal, the terminal and the
// dashboard): it folds the events into the run's summary with the same fold summary.json comes from, and
// writes it to the store when the stream closes — after run.end, or early when the run is cut short.
import { SummaryFold } from '../events/fold-summary.js';
import type { RunEvent, RunEventListener } from '../events/types.js';
import type { JournalEvent } from '../journal/events.js';
import { getErrorMessage } from '../errors.js';
import { writeSummary } from './index-run.js';
import type { HistoryDb } from './open-history.js';

/** Events the store keeps beside the summary: notes, and what makes a run a game day (or a skipped one). */
const KEPT = new Set(['note', 'gameday.start', 'gameday.skipped', 'halt']);

/** A listener that indexes the run into `db` when its stream closes; a failure goes to `onProblem`, never into the run. */
export function createHistoryListener(db: HistoryDb, onProblem: (message: string) => void): RunEventListener {
  const fold = new SummaryFold();
  const kept: JournalEvent[] = [];
  let runDir: string | undefined;
  let closed = false;
  return {
    onEvent(event: RunEvent) {
      fold.onEvent(event);
      if (event.type === 'run.start') runDir = event.runDir;
      if (KEPT.has(event.type)) kept.push(event as unknown as JournalEvent);
    },
    close() {
      if (closed || !runDir) return;
      closed = true;
      try {
        writeSummary(db, runDir, fold.getSummary(runDir), kept);
      } catch (error) {
        onProblem(`the run was not indexed: ${getErrorMessage(error)} (run \`faultline history rebuild\`)`);
      }
    },
  };
}
