// The journal's event types: one JSON object per line, written as the run happens.

/** Fields every journal event has. */
export interface JournalEventBase {
  /** Epoch ms with fractions, from the monotonic clock. */
  t: number;
  type: string;
  scenario?: string;
  run?: number;
}

/** A journal event: the base fields plus the event's own data. */
export type JournalEvent = JournalEventBase & Record<string, unknown>;

/** Event type names, in the order a run emits them. */
export const journalEventTypes = [
  'run.start',
  'target.up',
  'target.hook',
  'scenario.start',
  'steady-state',
  'fault.plan',
  'fault.inject',
  'probe',
  'detect',
  'recover',
  'timeout',
  'target.signal',
  'fault.rollback',
  'run.result',
  'scenario.end',
  'target.down',
  'host.select',
  'host.connect',
  'host.event',
  'host.lost',
  'host.result',
  'host.skip',
  'note',
  'error',
  'run.end',
] as const;
export type JournalEventType = (typeof journalEventTypes)[number];
