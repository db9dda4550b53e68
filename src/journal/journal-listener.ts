// The journal as a listener on the run's event stream: every event, one JSON line, as it happens.
import type { RunEvent, RunEventListener } from '../events/types.js';
import { JournalWriter } from './writer.js';

/** A listener that appends each event to `path` (synchronously: a killed run keeps every line up to its last event). */
export function createJournalListener(path: string): RunEventListener & { readonly path: string } {
  const writer = new JournalWriter(path);
  return {
    path,
    onEvent(event: RunEvent) {
      writer.append(event);
    },
    close() {
      writer.close();
    },
  };
}
