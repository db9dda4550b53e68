// Occurrence from history: how often the injected fault became the failure, over the runs of one
// configuration of one scenario (the caller never mixes configurations), with a 95 % confidence
// interval, and no rating at all below the configured minimum number of runs.
import { pluralize } from '../../util/plural.js';
import type { FmeaConfig, OccurrenceEvent } from '../schema/config.js';
import type { DerivedRating } from '../schema/derived.js';
import type { EvidenceRun, EvidenceScenario } from './read-evidence.js';
import { getCompletedRuns, type HistoryEntry } from './scenario-history.js';

/** The 95 % Wilson score interval of `failures` in `runs` (z = 1.96); [0, 1] without runs. */
export function getWilsonInterval(failures: number, runs: number, z = 1.959964): { low: number; high: number } {
  if (runs === 0) return { low: 0, high: 1 };
  const rate = failures / runs;
  const z2 = z * z;
  const centre = rate + z2 / (2 * runs);
  const spread = z * Math.sqrt((rate * (1 - rate)) / runs + z2 / (4 * runs * runs));
  const denominator = 1 + z2 / runs;
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}

/** O from every report of one configuration: share of runs where a counted event happened, once there are enough runs. */
export function deriveOccurrence(history: readonly HistoryEntry[], config: FmeaConfig['occurrence']): Omit<DerivedRating, 'stale'> | string {
  const runs = history.flatMap((entry) => getCompletedRuns(entry.scenario).map((run) => ({ run, scenario: entry.scenario })));
  const failed = runs.filter(({ run, scenario }) => config.countAs.some((event) => hasOccurred(event, run, scenario)));
  const interval = getWilsonInterval(failed.length, runs.length);
  const observed = runs.length === 0 ? '' : ` It failed in ${failed.length} of ${pluralize(runs.length, 'run')} (95 % CI ${formatPercent(interval.low)}–${formatPercent(interval.high)}).`;
  if (runs.length < config.minRuns) return `insufficient evidence (${pluralize(runs.length, 'run')}; ${config.minRuns} needed).${observed}`;
  const rate = failed.length / runs.length;
  const step = config.steps.find((candidate) => rate <= candidate.maxRate);
  const rating = step?.rating ?? 10;
  const scenario = history[0]?.scenario.id;
  return {
    dimension: 'occurrence', rating, rule: 'occurrence.failure-rate',
    reason: `O ${rating}: ${config.countAs.join(' / ')} in ${failed.length} of ${pluralize(runs.length, 'run')} (${formatPercent(rate)}, 95 % CI ${formatPercent(interval.low)}–${formatPercent(interval.high)})${scenario ? ` of scenario ${scenario}` : ''}.`,
    evidence: {
      runIds: history.map((entry) => entry.runId), evidenceAt: history[0]?.startedAt ?? null,
      runs: runs.length, failedRuns: failed.length, rate: round(rate), ciLow: round(interval.low), ciHigh: round(interval.high),
      ...(history[0] ? { configuration: history[0].scenario.configuration, scenario: history[0].scenario.id } : {}),
    },
  };
}

function hasOccurred(event: OccurrenceEvent, run: EvidenceRun, scenario: EvidenceScenario): boolean {
  switch (event) {
    case 'not-recovered': return run.recovered === false;
    case 'data-lost': return (run.lost ?? 0) > (scenario.expect.dataLoss ?? 0);
    case 'rto-exceeded': return scenario.expect.rtoMs !== undefined && (run.rtoMs === null ? run.recovered === false : run.rtoMs > scenario.expect.rtoMs);
    case 'ttd-exceeded': return scenario.expect.ttdMs !== undefined && (run.ttdMs === null || run.ttdMs > scenario.expect.ttdMs);
  }
}

function formatPercent(share: number): string {
  return `${Math.round(share * 100)} %`;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
