// Per steady-state probe, when it first failed after t0 and when it passed again: the run's figures
// for what each probe watches (an etcd.leader probe's "restored" is the leader-election time from the
// fault to a new leader seen; an etcd.write probe's unavailability is the write outage).
import type { ProbeOutage } from '../analyse/summary-schema.js';
import { roundMs } from '../util/clock.js';

interface Change {
  ok: boolean;
  atMs: number;
  fromMs: number;
}

/** Collects the probes' state changes (the sampler's 'probe' events, ms after t0) and folds them into outages. */
export class ProbeOutageRecorder {
  readonly #changes = new Map<string, Change[]>();

  /** One 'probe' event: { probe, ok, atMs, fromMs }. */
  add(data: Record<string, unknown>): void {
    const probe = String(data.probe);
    const list = this.#changes.get(probe) ?? [];
    list.push({ ok: data.ok === true, atMs: Number(data.atMs), fromMs: Number(data.fromMs) });
    this.#changes.set(probe, list);
  }

  /** The first outage of each probe that failed; `bracketMs` (the inject step's length) widens each window, as for the RTO. */
  list(bracketMs: number): ProbeOutage[] {
    const outages: ProbeOutage[] = [];
    for (const [probe, changes] of this.#changes) {
      const down = changes.findIndex((change) => !change.ok && change.atMs >= 0);
      if (down < 0) continue;
      const failed = changes[down]!;
      const up = changes.slice(down + 1).find((change) => change.ok);
      const failedFromMs = Math.max(0, failed.fromMs);
      outages.push({
        probe,
        failedAtMs: roundMs(failed.atMs),
        failedResolutionMs: roundMs(failed.atMs - failedFromMs + bracketMs),
        restoredAtMs: up ? roundMs(up.atMs) : null,
        restoredResolutionMs: up ? roundMs(up.atMs - Math.max(0, up.fromMs) + bracketMs) : null,
        unavailableMs: up ? roundMs(up.atMs - failedFromMs) : null,
      });
    }
    return outages;
  }
}
