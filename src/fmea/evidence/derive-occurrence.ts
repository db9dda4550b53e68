// Occurrence from history: how often the injected fault became the failure, across every report.
import type { FmeaConfig, OccurrenceEvent } from '../schema/config.js';
import type { DerivedRating } from '../schema/derived.js';
import type { EvidenceRun, EvidenceScenario } from './read-evidence.js';
import { getCompletedRuns, type HistoryEntry } from './scenario-history.js';

/** O from all reports: share of runs where a counted event happened, once there are enough runs. */
export function deriveOccurrence(history: readonly HistoryEntry[], config: FmeaConfig['occurrence']): Omit<DerivedRating, 'stale'> | string {
  const runs = history.flatMap((entry) => getCompletedRuns(entry.scenario).map((run) => ({ run, scenario: entry.scenario })));
  if (runs.length < config.minRuns) return `Occurrence needs ${config.minRuns} runs; ${runs.length} so far`;
  const failed = runs.filter(({ run, scenario }) => config.countAs.some((event) => hasOccurred(event, run, scenario)));
  const rate = failed.length / runs.length;
  const step = config.steps.find((candidate) => rate <= candidate.maxRate);
  const rating = step?.rating ?? 10;
  const reports = history.length;
  return {
    dimension: 'occurrence', rating, rule: 'occurrence.failure-rate',
    reason: `${config.countAs.join(' / ')} in ${failed.length} of ${runs.length} runs (${Math.round(rate * 100)}%) across ${reports} report${reports === 1 ? '' : 's'} → O ${rating}`,
    evidence: {
      runIds: history.map((entry) => entry.runId), evidenceAt: history[0]?.startedAt ?? null,
      runs: runs.length, failedRuns: failed.length, rate: Math.round(rate * 1000) / 1000,
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
