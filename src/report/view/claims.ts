// Claims vs measured (as in seed 001's tables): each expectation, the measured figure, met / not met / untested.
import type { Summary } from '../../analyse/summary-schema.js';
import type { ScoredWorksheet } from '../../fmea/index.js';
import { getToneClass } from '../format.js';

const CLAIM_NAMES: Record<string, string> = {
  recovered: 'Recovers on its own',
  ttdMs: 'Time to detect (TTD)',
  rtoMs: 'Time to recover (RTO)',
  dataLoss: 'Data loss (RPO)',
};

/** The section: one row per expectation of every scenario, and the failure modes nothing tested. */
export function buildClaimsView(summary: Summary, scored: ScoredWorksheet) {
  const rows = summary.scenarios.flatMap((scenario) => scenario.checks.map((check) => ({
    id: scenario.id,
    title: scenario.title,
    fmeaId: scenario.fmea?.id ?? '',
    claim: CLAIM_NAMES[check.name] ?? check.name,
    expected: check.expected,
    measured: check.measured,
    status: check.status,
    tone: getToneClass(check.status),
  })));
  const untested = scored.rows.filter((entry) => !entry.experimented).map((entry) => ({ id: entry.row.id, failureMode: entry.row.failureMode, ap: entry.analyst.ap }));
  const count = (status: string) => rows.filter((row) => row.status === status).length;
  return { rows, untested, counts: { met: count('met'), notMet: count('not met'), untested: count('untested') } };
}
