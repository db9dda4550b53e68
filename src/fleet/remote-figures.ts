// A host's run placed on the controller's timeline: epoch times shifted by the host's clock offset, and
// every window widened by the offset's uncertainty. Durations (TTD, RTO) were measured on the host's own
// monotonic clock and are kept as they are; only where they sit in time depends on the offset.
import type { RunSummary } from '../analyse/summary-schema.js';
import { roundMs } from '../util/clock.js';
import type { ClockOffset } from './agent-connection.js';

const RUN_STATUSES = ['completed', 'aborted', 'skipped', 'error'] as const satisfies readonly RunSummary['status'][];

/** The host's run as the controller reports it (host and clock stated). */
export function placeRemoteRun(run: RunSummary, host: string, clock: ClockOffset): RunSummary {
  const shift = (t: number) => roundMs(t - clock.offsetMs);
  const widen = (ms: number | null | undefined) => (ms === null || ms === undefined ? ms : roundMs(ms + clock.uncertaintyMs));
  // The agent's summary is the host's word: a status outside the schema's is not passed on as one.
  const known = (RUN_STATUSES as readonly unknown[]).includes(run.status);
  return {
    ...run,
    ...(known ? {} : { status: 'error' as const, reason: `the agent of host ${host} answered an unknown run status` }),
    host,
    clock: { offsetMs: clock.offsetMs, uncertaintyMs: clock.uncertaintyMs },
    t0: run.t0 === null ? null : shift(run.t0),
    ...(run.inject ? { inject: { ...run.inject, startedAt: shift(run.inject.startedAt), returnedAt: shift(run.inject.returnedAt) } } : {}),
    targetSignals: run.targetSignals.map((signal) => ({ ...signal, t: shift(signal.t) })),
    resolutionMs: roundMs(run.resolutionMs + clock.uncertaintyMs),
    ...(run.ttdResolutionMs !== undefined ? { ttdResolutionMs: widen(run.ttdResolutionMs) ?? null } : {}),
    ...(run.rtoResolutionMs !== undefined ? { rtoResolutionMs: widen(run.rtoResolutionMs) ?? null } : {}),
  };
}

/** A journal event of a host placed on the controller's clock (its own time kept as hostT). */
export function placeRemoteEvent(event: Record<string, unknown>, host: string, clock: ClockOffset | undefined): Record<string, unknown> {
  const hostT = typeof event.t === 'number' ? event.t : undefined;
  return { host, ...(hostT !== undefined && clock ? { t: roundMs(hostT - clock.offsetMs), hostT } : {}), event };
}
