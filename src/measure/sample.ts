// One observation of one probe, timed on the monotonic clock.

/** A probe observation: `at` is when it was known (the check's end), monotonic ms. */
export interface Sample {
  probe: number;
  ok: boolean;
  start: number;
  at: number;
  detail?: string;
}
