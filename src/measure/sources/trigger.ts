// A trigger: an event source saying "what you observe may have changed", with when it said so.

/**
 * `at` is the monotonic time the event reached faultline, `boundMs` how late it can arrive after
 * the change that caused it (the source's delivery bound). A change announced by this event
 * therefore happened within [at − boundMs, at]. `at` is null for triggers that carry no timing
 * (a re-connection), which only ask for a re-check.
 */
export interface Trigger {
  at: number | null;
  boundMs: number;
  source: string;
}

/** A trigger that only asks for a re-check. */
export function createUntimedTrigger(source: string): Trigger {
  return { at: null, boundMs: 0, source };
}
