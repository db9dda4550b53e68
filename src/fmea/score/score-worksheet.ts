// Scores a worksheet: analyst and evidence-derived ratings side by side, ranked by AP, S, RPN.
import { deriveRatings } from '../evidence/derive-ratings.js';
import type { EvidenceReport } from '../evidence/read-evidence.js';
import { getScenarioHistory, groupHistory, type HistoryGroup } from '../evidence/scenario-history.js';
import { DEFAULT_FMEA_CONFIG, type FmeaConfig } from '../schema/config.js';
import type { ConfigurationRatings, RatingSet, ScoredRow } from '../schema/derived.js';
import type { WorksheetRow } from '../schema/worksheet.js';
import { getActionPriority } from '../scoring/action-priority.js';
import { computeRpn } from '../scoring/rpn.js';
import { rankRows } from '../scoring/rank.js';
import { getPriorityBucket, getRiskBand } from '../scoring/risk-bands.js';
import { mergeRows, rowFromScenarioFmea } from '../worksheet/merge-rows.js';

/** What to score and how. */
export interface ScoreOptions {
  rows: readonly WorksheetRow[];
  evidence?: readonly EvidenceReport[];
  config?: FmeaConfig;
  now?: Date;
  /** Rank by the analyst's ratings (default) or by measured ones where evidence exists. */
  rankBy?: 'analyst' | 'measured';
}

/** A failure mode with no S/O/D yet (imported from an unrated document): ranked apart, never given invented ratings. */
export interface UnratedRow {
  rank: number;
  row: WorksheetRow;
  experimented: boolean;
}

/** The scored worksheet. */
export interface ScoredWorksheet {
  rows: ScoredRow[];
  /** Rows not yet rated, in the document's priority order (P0 first), then its order. */
  unrated: UnratedRow[];
  evidence: { runId: string; file: string; startedAt: string | null }[];
  conflicts: string[];
}

/** Merges experiment rows from the evidence into the worksheet, derives ratings and ranks. */
export function scoreWorksheet(options: ScoreOptions): ScoredWorksheet {
  const config = options.config ?? DEFAULT_FMEA_CONFIG;
  const evidence = options.evidence ?? [];
  const now = options.now ?? new Date();
  const newestFirst = [...evidence].sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
  const experimentRows = latestScenarioRows(newestFirst);
  const { rows, conflicts } = mergeRows(options.rows, experimentRows);
  const scored = rows.filter(isRatedRow).map((row) => scoreRow(row, newestFirst, config, now));
  const rankBy = options.rankBy ?? 'analyst';
  const ranked = rankRows(scored, (entry) => {
    const set = (rankBy === 'measured' && entry.measured) || entry.analyst;
    return { id: entry.row.id, ap: set.ap, severity: set.severity, rpn: set.rpn };
  }).map((entry, index) => ({ ...entry, rank: index + 1 }));
  const unrated = rankUnrated(rows.filter((row) => !isRatedRow(row)), newestFirst);
  return {
    rows: ranked,
    unrated,
    evidence: newestFirst.map((report) => ({ runId: report.runId, file: report.file, startedAt: report.startedAt })),
    conflicts: conflicts.map((conflict) => conflict.message),
  };
}

/** True when a row has all of S, O and D. */
export function isRatedRow(row: WorksheetRow): row is WorksheetRow & { severity: number; occurrence: number; detection: number } {
  return row.severity !== undefined && row.occurrence !== undefined && row.detection !== undefined;
}

// The document's own priority (P0 before P1, "-" last) orders unrated rows; nothing else is known of their risk.
function rankUnrated(rows: readonly WorksheetRow[], reports: readonly EvidenceReport[]): UnratedRow[] {
  const key = (row: WorksheetRow) => {
    const match = /\d+/.exec(row.priority ?? '');
    return match ? Number(match[0]) : Number.POSITIVE_INFINITY;
  };
  return rows
    .map((row, index) => ({ row, index }))
    .sort((a, b) => key(a.row) - key(b.row) || a.index - b.index)
    .map(({ row }, index) => ({ rank: index + 1, row, experimented: getScenarioHistory(reports, row.id, row.scenario).length > 0 }));
}

/** S/O/D with RPN, AP, band and priority bucket. */
export function createRatingSet(severity: number, occurrence: number, detection: number, config: FmeaConfig = DEFAULT_FMEA_CONFIG): RatingSet {
  const rpn = computeRpn(severity, occurrence, detection);
  return {
    severity, occurrence, detection, rpn,
    ap: getActionPriority(severity, occurrence, detection),
    band: getRiskBand(rpn, config.bands)?.name ?? null,
    priority: getPriorityBucket(rpn, config.priorityBuckets)?.name ?? null,
  };
}

// The newest report's fmea block of each experimented failure mode.
function latestScenarioRows(reports: readonly EvidenceReport[]): WorksheetRow[] {
  const rows = new Map<string, WorksheetRow>();
  for (const report of reports) {
    for (const scenario of report.scenarios) {
      const row = scenario.fmea && rowFromScenarioFmea(scenario.fmea, scenario.id);
      if (row && !rows.has(row.id)) rows.set(row.id, row);
    }
  }
  return [...rows.values()];
}

function scoreRow(row: WorksheetRow & { severity: number; occurrence: number; detection: number }, reports: readonly EvidenceReport[], config: FmeaConfig, now: Date): ScoredRow {
  const analyst = createRatingSet(row.severity, row.occurrence, row.detection, config);
  const history = getScenarioHistory(reports, row.id, row.scenario);
  // One measured rating per configuration and scenario, never pooled: healer on and off are different systems.
  const groups = groupHistory(history).map((group) => scoreGroup(group, row, analyst, config, now));
  // `measured` is the newest evidence's configuration, at its worst scenario (a failure mode is as risky as its worst cause).
  const current = groups.filter((group) => group.ratings.configuration === groups[0]?.ratings.configuration);
  const primary = current.reduce<(typeof groups)[number] | undefined>((worst, group) => (!worst || (group.ratings.measured?.rpn ?? 0) > (worst.ratings.measured?.rpn ?? 0) ? group : worst), undefined);
  const ordered = primary ? [primary, ...groups.filter((group) => group !== primary)] : [];
  const revised = row.revised
    ? createRatingSet(row.revised.severity ?? row.severity, row.revised.occurrence ?? row.occurrence, row.revised.detection ?? row.detection, config)
    : null;
  const main = primary?.ratings;
  return {
    rank: 0,
    row,
    analyst,
    measured: main?.measured ?? null,
    ...(main ? { configuration: main.configuration } : {}),
    configurations: ordered.map((group) => group.ratings),
    ...(main?.disagreement ? { disagreement: main.disagreement } : {}),
    derived: main?.derived ?? {},
    experimented: history.length > 0,
    notes: main?.notes ?? [],
    revised,
    stale: primary?.stale ?? false,
  };
}

// The measured ratings of one configuration of one scenario.
function scoreGroup(group: HistoryGroup, row: WorksheetRow & { severity: number; occurrence: number; detection: number }, analyst: RatingSet, config: FmeaConfig, now: Date): { ratings: ConfigurationRatings; stale: boolean } {
  const derived = deriveRatings(group.entries, config, now);
  const hasDerived = Boolean(derived.severity || derived.occurrence || derived.detection);
  const measured = hasDerived
    ? createRatingSet(derived.severity?.rating ?? row.severity, derived.occurrence?.rating ?? row.occurrence, derived.detection?.rating ?? row.detection, config)
    : null;
  const disagreement = measured ? explainDisagreement(analyst, measured) : undefined;
  return {
    stale: derived.stale,
    ratings: {
      configuration: group.configuration,
      scenario: group.scenarioId,
      measured,
      derived: {
        ...(derived.severity ? { severity: derived.severity } : {}),
        ...(derived.occurrence ? { occurrence: derived.occurrence } : {}),
        ...(derived.detection ? { detection: derived.detection } : {}),
      },
      notes: derived.notes,
      ...(disagreement ? { disagreement } : {}),
    },
  };
}

/** One line when AP and RPN move in opposite directions from the analyst's: AP weighs Severity first, then Occurrence, then Detection; RPN multiplies them. */
export function explainDisagreement(analyst: RatingSet, measured: RatingSet): string | undefined {
  const apOrder = { L: 0, M: 1, H: 2 } as const;
  const apMove = Math.sign(apOrder[measured.ap] - apOrder[analyst.ap]);
  const rpnMove = Math.sign(measured.rpn - analyst.rpn);
  if (apMove === 0 || rpnMove === 0 || apMove === rpnMove) return undefined;
  const changes = (['severity', 'occurrence', 'detection'] as const)
    .filter((key) => measured[key] !== analyst[key])
    .map((key) => `${key[0]!.toUpperCase()} ${analyst[key]}→${measured[key]}`)
    .join(', ');
  return `AP ${apMove > 0 ? 'rises' : 'falls'} ${analyst.ap}→${measured.ap} while RPN ${rpnMove > 0 ? 'rises' : 'falls'} ${analyst.rpn}→${measured.rpn}: AP weighs Severity first, then Occurrence, then Detection (${changes}).`;
}