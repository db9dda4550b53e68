// The journal holds the run's events (events/types), one JSON object a line. Read back, a line is typed
// loosely: a journal may come from an older faultline, or end in a line torn by a kill.
import type { RunEventType } from '../events/types.js';

/** Fields every journal event has. */
export interface JournalEventBase {
  /** Epoch ms with fractions, from the monotonic clock. */
  t: number;
  type: string;
  scenario?: string;
  run?: number;
}

/** A journal event as read back: the base fields plus the event's own data. */
export type JournalEvent = JournalEventBase & Record<string, unknown>;

/** The event types a journal holds: those of the run's event stream. */
export type JournalEventType = RunEventType;
