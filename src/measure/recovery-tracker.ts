// Turns the stream of samples after t0 into time to detect and time to recover (docs/measurement.md), each
// with the window in which the moment it names must lie.
import { getChangedBefore, type Sample } from './sample.js';

/** What the tracker concluded so far (monotonic ms). */
export interface TrackerState {
  /** When the first failure after t0 began, at the latest: the first failed check's end, or the event that named it. */
  detectedAt: number | null;
  /** The failure began no earlier than this (≥ t0). */
  detectedAfter: number | null;
  detectedBy: number | null;
  /** When every probe passed again, at the latest (the check or event that showed the last one), for a streak that lasted stabilizeMs. */
  recoveredAt: number | null;
  /** The last probe turned passing no earlier than this (≥ t0). */
  recoveredAfter: number | null;
}

interface Moment {
  after: number;
  at: number;
}

/**
 * Tracks probe states from t0. Detection is the first failure seen. Recovery is the moment every
 * probe passes, once each of them has been seen passing again at least stabilizeMs later with no
 * failure in between (a failure restarts the streak). Its window is the latest of the probes'
 * own pass-again windows. While the fault is still being put in place (a composite between its
 * steps) recovery is not confirmed: the stable window must also last stabilizeMs past the moment
 * the whole fault was in effect, so a later step that breaks the target again restarts the streak,
 * and recovery is never dated before that moment.
 */
export class RecoveryTracker {
  private readonly latest: (Sample | undefined)[];
  private readonly okSince: (Moment | null)[];
  private streak: Moment | null = null;
  private inEffect: number | null;
  readonly state: TrackerState = { detectedAt: null, detectedAfter: null, detectedBy: null, recoveredAt: null, recoveredAfter: null };

  /** `inEffectPending`: the fault is not fully in place at t0; call markInEffect once it is. */
  constructor(probeCount: number, private readonly t0: number, private readonly stabilizeMs: number, options: { inEffectPending?: boolean } = {}) {
    this.latest = new Array<Sample | undefined>(probeCount).fill(undefined);
    this.okSince = new Array<Moment | null>(probeCount).fill(null);
    this.inEffect = options.inEffectPending ? null : t0;
  }

  /** Records that the whole fault is in effect (monotonic ms); recovery can be confirmed from then on. */
  markInEffect(at: number): void {
    this.inEffect ??= at;
  }

  /** When the whole fault was in effect (monotonic ms); null while it is still being put in place. */
  get inEffectAt(): number | null {
    return this.inEffect;
  }

  /** When the current all-pass streak can be confirmed (every probe re-checked by then), or null. */
  get stableDueAt(): number | null {
    if (this.streak === null || this.state.recoveredAt !== null || this.inEffectAt === null) return null;
    return Math.max(this.streak.at, this.inEffectAt) + this.stabilizeMs;
  }

  /** Feeds one sample; returns true once recovery is established. */
  add(sample: Sample): boolean {
    if (sample.start < this.t0 || this.state.recoveredAt !== null) return this.state.recoveredAt !== null;
    this.latest[sample.probe] = sample;
    // Neither end of a window reaches back before t0: a change before t0 counts as at t0.
    const before = Math.max(this.t0, getChangedBefore(sample));
    const after = Math.min(before, Math.max(this.t0, sample.changedAfter));
    if (!sample.ok) {
      if (this.state.detectedAt === null) Object.assign(this.state, { detectedAt: before, detectedAfter: after, detectedBy: sample.probe });
      this.okSince[sample.probe] = null;
      this.streak = null;
    } else if (this.okSince[sample.probe] === null) {
      this.okSince[sample.probe] = { after, at: before };
      this.streak = this.findStreak();
    }
    return this.checkStable();
  }

  /** Declares recovery when the streak has lasted stabilizeMs and every probe was seen passing after that. */
  checkStable(): boolean {
    const due = this.stableDueAt;
    if (due === null) return this.state.recoveredAt !== null;
    if (this.latest.every((sample) => sample !== undefined && sample.ok && sample.start >= due)) {
      // Not recovered before the whole fault was in place: a streak that began earlier (the target
      // healed step 1, and the last step broke nothing a probe saw) counts from that moment.
      const streak = this.streak!;
      const inEffectAt = this.inEffectAt!;
      this.state.recoveredAt = Math.max(streak.at, inEffectAt);
      this.state.recoveredAfter = streak.at >= inEffectAt ? streak.after : streak.at;
    }
    return this.state.recoveredAt !== null;
  }

  private findStreak(): Moment | null {
    if (this.okSince.some((moment) => moment === null)) return null;
    const moments = this.okSince as Moment[];
    return { after: Math.max(...moments.map((moment) => moment.after)), at: Math.max(...moments.map((moment) => moment.at)) };
  }
}
