// The FMEA worksheet section: every failure mode ranked by AP, S, RPN, analyst and measured ratings side by side.
import { scoreWorksheet, type RatingSet, type ScoredRow, type ScoredWorksheet } from '../../fmea/index.js';
import { toEvidenceReport } from '../evidence.js';
import { pluralize } from '../../util/plural.js';
import type { ReportInput } from '../report-input.js';

/** Scores the worksheet rows (from files and the runs' fmea blocks) against every run given. */
export function scoreReportWorksheet(input: ReportInput): ScoredWorksheet {
  return scoreWorksheet({
    rows: input.worksheet.rows,
    evidence: input.history.map((summary) => toEvidenceReport(summary)),
    config: input.fmeaConfig,
    now: input.generatedAt,
    rankBy: 'analyst',
  });
}

/** One row as the template shows it. */
export function viewWorksheetRow(entry: ScoredRow) {
  const { row, analyst, measured } = entry;
  const derived = [entry.derived.severity, entry.derived.occurrence, entry.derived.detection].filter((rating) => rating !== undefined);
  return {
    rank: entry.rank,
    id: row.id,
    component: row.component ?? '',
    failureMode: row.failureMode,
    effect: row.effect ?? '',
    cause: row.cause ?? '',
    analyst: viewRatings(analyst),
    measured: measured ? viewRatings(measured, analyst) : null,
    configuration: entry.configuration ?? '',
    reasons: derived.map((rating) => rating.reason),
    notes: entry.notes,
    disagreement: entry.disagreement ?? '',
    // The other configurations and scenarios of this failure mode, each rated on its own (never pooled).
    others: entry.configurations.slice(1).map((group) => ({
      label: `${group.configuration} — ${group.scenario}`,
      ratings: group.measured ? `S ${group.measured.severity} O ${group.measured.occurrence} D ${group.measured.detection} · RPN ${group.measured.rpn} · AP ${group.measured.ap}` : 'no measured ratings',
      reasons: [group.derived.severity, group.derived.occurrence, group.derived.detection].filter((rating) => rating !== undefined).map((rating) => rating.reason),
      notes: group.notes,
    })),
    function: row.function ?? '',
    preventionControls: row.preventionControls ?? '',
    detectionControls: row.detectionControls ?? '',
    recommendedAction: row.recommendedAction ?? '',
    owner: row.owner ?? '',
    status: row.status ?? '',
    stale: entry.stale,
    scenario: row.scenario ?? '',
    action: [row.recommendedAction, row.owner ? `owner: ${row.owner}` : '', row.status ? `status: ${row.status}` : ''].filter(Boolean).join(' · '),
    source: row.source ?? '',
  };
}

// A rating set for the template; `changed` marks a measured figure that differs from the analyst's.
function viewRatings(set: RatingSet, analyst?: RatingSet) {
  const mark = (key: 'severity' | 'occurrence' | 'detection') => (analyst && set[key] !== analyst[key] ? (set[key] > analyst[key] ? 'up' : 'down') : '');
  return {
    s: set.severity, o: set.occurrence, d: set.detection, rpn: set.rpn, ap: set.ap, band: set.band ?? '',
    sMark: mark('severity'), oMark: mark('occurrence'), dMark: mark('detection'),
    apChanged: analyst !== undefined && analyst.ap !== set.ap,
  };
}

/** Counts of rows per Action Priority. */
export function countByAp(sets: readonly (RatingSet | null)[]): { H: number; M: number; L: number } {
  const counts = { H: 0, M: 0, L: 0 };
  for (const set of sets) if (set) counts[set.ap] += 1;
  return counts;
}

/** The worksheet section. */
export function buildWorksheetView(scored: ScoredWorksheet) {
  const rows = scored.rows.map(viewWorksheetRow);
  return {
    rows,
    total: rows.length,
    totalLine: pluralize(rows.length, 'failure mode'),
    measuredLine: `${pluralize(scored.rows.filter((entry) => entry.measured).length, 'row')} ${scored.rows.filter((entry) => entry.measured).length === 1 ? 'has' : 'have'} evidence`,
    measuredCount: scored.rows.filter((entry) => entry.measured).length,
    conflicts: scored.conflicts,
    analystAp: countByAp(scored.rows.map((entry) => entry.analyst)),
    measuredAp: countByAp(scored.rows.map((entry) => entry.measured)),
    // Rows without S/O/D: listed apart as "not yet rated", never given ratings.
    unrated: (scored.unrated ?? []).map((entry) => ({
      rank: entry.rank, id: entry.row.id, failureMode: entry.row.failureMode, component: entry.row.component ?? '', effect: entry.row.effect ?? '',
      priority: entry.row.priority ?? '', documentStatus: entry.row.documentStatus ?? '', scenario: entry.row.scenario ?? '',
    })),
  };
}
