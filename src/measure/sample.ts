// One observation of one probe, timed on the monotonic clock, with the bound of any change it saw.

/** What made the sampler take a sample. */
export type SampleCause = 'initial' | 'poll' | 'event' | 'deadline' | 'forced';

/**
 * A probe observation (monotonic ms). The probe's state was read somewhere in [start, at]. If it
 * differs from the previous sample's, the change happened within [changedAfter, changedBefore ?? at]:
 * changedAfter is the start of the previous sample, raised to (first event since then − the event's
 * delivery bound) when an event source announced it, or to the known moment of a deadline; and when
 * a notification names the change itself (this window's %window-close), both ends come from it.
 */
export interface Sample {
  probe: number;
  ok: boolean;
  start: number;
  at: number;
  changedAfter: number;
  /** Set when an event named this sample's change: the change happened no later than this. */
  changedBefore?: number;
  cause: SampleCause;
  detail?: string;
}

/** The latest moment a sample's change can have happened. */
export function getChangedBefore(sample: Sample): number {
  return sample.changedBefore ?? sample.at;
}
