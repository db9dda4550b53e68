// Claims vs measured (as in seed 001's tables): each expectation, the measured figure, met / not met / untested.
import type { Summary } from '../../analyse/summary-schema.js';
import type { ScoredWorksheet } from '../../fmea/index.js';
import { getToneClass } from '../format.js';
import { pluralize } from '../../util/plural.js';
import { evaluateClaims } from '../../claims/evaluate-claims.js';
import type { ReportInput } from '../report-input.js';

const CLAIM_NAMES: Record<string, string> = {
  recovered: 'Recovers on its own',
  ttdMs: 'Time to detect (TTD)',
  rtoMs: 'Time to recover (RTO)',
  dataLoss: 'Data loss (RPO)',
};

/** The section: the expectations of every scenario, grouped under it, and the failure modes nothing tested. */
export function buildClaimsView(summary: Summary, scored: ScoredWorksheet, input?: Pick<ReportInput, 'claims' | 'history'>) {
  const groups = summary.scenarios.filter((scenario) => scenario.checks.length > 0).map((scenario) => ({
    id: scenario.id,
    title: scenario.title,
    fmeaId: scenario.fmea?.id ?? '',
    verdict: scenario.verdict,
    tone: getToneClass(scenario.verdict),
    span: scenario.checks.length,
    claims: scenario.checks.map((check, index) => ({
      first: index === 0,
      claim: CLAIM_NAMES[check.name] ?? check.name,
      expected: check.expected,
      measured: check.measured,
      status: check.status,
      tone: getToneClass(check.status),
    })),
  }));
  const rows = groups.flatMap((group) => group.claims);
  const untested = scored.rows.filter((entry) => !entry.experimented).map((entry) => ({ id: entry.row.id, failureMode: entry.row.failureMode, ap: entry.analyst.ap }));
  const count = (status: string) => rows.filter((row) => row.status === status).length;
  const untestedLine = `${pluralize(untested.length, 'failure mode')} ${untested.length === 1 ? 'has' : 'have'} no experiment yet: untested`;
  return { groups, untested, untestedLine, counts: { met: count('met'), notMet: count('not met'), untested: count('untested') }, documented: buildDocumentClaims(input) };
}

// The claims of the user's own documents (claims.yaml): every one listed, held / broken / untested, newest runs first.
function buildDocumentClaims(input?: Pick<ReportInput, 'claims' | 'history'>) {
  if (!input?.claims) return null;
  const results = evaluateClaims(input.claims.claims, [...input.history].reverse());
  const tones = { held: 'ok', broken: 'bad', untested: 'warn' } as const;
  const rows = results.map((result) => ({
    id: result.claim.id, text: result.claim.text, source: result.claim.source, bound: result.claim.bound.text,
    measured: result.measured || '—', status: result.status, tone: tones[result.status], reason: result.reason, scenarios: result.scenarios.join(', '),
  }));
  const count = (status: string) => rows.filter((row) => row.status === status).length;
  return { rows, files: input.claims.files.join(', '), counts: { held: count('held'), broken: count('broken'), untested: count('untested') } };
}
