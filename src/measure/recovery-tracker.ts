// Turns the stream of samples after t0 into time to detect and time to recover (DESIGN §5).
import type { Sample } from './sample.js';

/** What the tracker concluded so far. */
export interface TrackerState {
  /** Monotonic time of the first failed sample after t0. */
  detectedAt: number | null;
  detectedBy: number | null;
  /** Start of the all-pass streak that lasted stabilizeMs: the recovery moment. */
  recoveredAt: number | null;
}

/**
 * Tracks probe states from t0: detection is the first failure seen; recovery is the first
 * moment after which every probe passes continuously for `stabilizeMs` (a later failure
 * restarts the streak).
 */
export class RecoveryTracker {
  private readonly latest: (boolean | undefined)[];
  private allOkSince: number | null = null;
  readonly state: TrackerState = { detectedAt: null, detectedBy: null, recoveredAt: null };

  constructor(probeCount: number, private readonly t0: number, private readonly stabilizeMs: number) {
    this.latest = new Array<boolean | undefined>(probeCount).fill(undefined);
  }

  /** Feeds one sample; returns true once recovery is established. */
  add(sample: Sample): boolean {
    if (sample.start < this.t0 || this.state.recoveredAt !== null) return this.state.recoveredAt !== null;
    this.latest[sample.probe] = sample.ok;
    if (!sample.ok) {
      if (this.state.detectedAt === null) {
        this.state.detectedAt = sample.at;
        this.state.detectedBy = sample.probe;
      }
      this.allOkSince = null;
    } else if (this.allOkSince === null && this.latest.every((ok) => ok === true)) {
      this.allOkSince = sample.at;
    }
    return this.checkStable(sample.at);
  }

  /** Declares recovery if the current all-pass streak has lasted long enough by `now`. */
  checkStable(now: number): boolean {
    if (this.state.recoveredAt === null && this.allOkSince !== null && now - this.allOkSince >= this.stabilizeMs) {
      this.state.recoveredAt = this.allOkSince;
    }
    return this.state.recoveredAt !== null;
  }
}
