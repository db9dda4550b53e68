// Severity from blast radius: share of steady-state probes failed, data lost, not recovered (docs/fmea.md).
import type { FmeaConfig } from '../schema/config.js';
import type { DerivedRating } from '../schema/derived.js';
import { pluralize } from '../../util/plural.js';
import { getCompletedRuns, type HistoryEntry } from './scenario-history.js';

/** S from the newest report: the worst of the blast-radius rules that apply. */
export function deriveSeverity(latest: HistoryEntry, config: FmeaConfig['severity']): Omit<DerivedRating, 'stale'> | string {
  const runs = getCompletedRuns(latest.scenario);
  if (runs.length === 0) return `no completed run in ${latest.runId}`;
  const shares = runs
    .filter((run) => run.probesFailed !== null && run.steadyStateProbes)
    .map((run) => Math.min(1, run.probesFailed! / run.steadyStateProbes!));
  const maxProbeShare = shares.length > 0 ? Math.max(...shares) : null;
  const notRecoveredRuns = runs.filter((run) => run.recovered === false).length;
  const lost = runs.reduce((sum, run) => sum + (run.lost ?? 0), 0);
  const candidates: { rating: number; rule: string; reason: string }[] = [];
  if (notRecoveredRuns > 0) {
    const total = maxProbeShare !== null && maxProbeShare >= 1;
    const rating = total ? config.notRecoveredAllProbes : config.notRecovered;
    candidates.push({ rating, rule: 'severity.not-recovered', reason: `S ${rating}: ${notRecoveredRuns} of ${pluralize(runs.length, 'run')} did not recover${total ? ', with every probe failing' : ''}.` });
  }
  if (lost > 0) candidates.push({ rating: config.dataLost, rule: 'severity.data-lost', reason: `S ${config.dataLost}: ${pluralize(lost, 'canary item')} lost.` });
  if (maxProbeShare !== null) {
    const step = config.shareSteps.find((candidate) => maxProbeShare >= candidate.minShare);
    const rating = step?.rating ?? config.noImpact;
    const percent = `${Math.round(maxProbeShare * 100)}%`;
    candidates.push({ rating, rule: step ? 'severity.probe-share' : 'severity.no-impact', reason: `S ${rating}: at most ${percent} of the steady-state probes failed.` });
  }
  if (candidates.length === 0) return `runs in ${latest.runId} report no probe results, recovery or data loss`;
  const worst = candidates.reduce((best, candidate) => (candidate.rating > best.rating ? candidate : best));
  return {
    dimension: 'severity', rating: worst.rating, rule: worst.rule,
    reason: worst.reason,
    evidence: { runIds: [latest.runId], evidenceAt: latest.startedAt, runs: runs.length, maxProbeShare, lost, notRecoveredRuns, configuration: latest.scenario.configuration, scenario: latest.scenario.id },
  };
}
