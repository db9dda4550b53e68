// The ranked worksheet as text: analyst / measured ratings side by side, then the rules behind each measured one.
import type { DerivedRating, RatingSet, ScoredRow } from '../schema/derived.js';
import type { ScoredWorksheet } from './score-worksheet.js';

const HEADERS = ['#', 'id', 'AP', 'S', 'O', 'D', 'RPN', 'band', 'failure mode'];
const UNRATED_HEADERS = ['#', 'id', 'priority', 'experiment', 'failure mode'];

/** Formats a scored worksheet; cells read "analyst→measured" where evidence changed a figure. */
export function formatScoredWorksheet(scored: ScoredWorksheet, options: { source?: string } = {}): string {
  const lines: string[] = [];
  const experimented = scored.rows.filter((entry) => entry.experimented);
  const unrated = scored.unrated ?? [];
  lines.push(`FMEA ${options.source ?? 'worksheet'}: ${scored.rows.length} failure modes${unrated.length > 0 ? ' rated' : ''}, ${experimented.length} with evidence${unrated.length > 0 ? `; ${unrated.length} not yet rated` : ''}`);
  for (const report of scored.evidence) lines.push(`  evidence: ${report.runId} (${report.startedAt ?? 'no start time'}) ${report.file}`);
  lines.push('  cells read analyst→measured where the evidence gives a different figure', '');
  const table = scored.rows.map((entry) => [
    String(entry.rank), entry.row.id + (entry.stale ? ' (stale)' : ''),
    pair(entry, (set) => set.ap), pair(entry, (set) => set.severity), pair(entry, (set) => set.occurrence),
    pair(entry, (set) => set.detection), pair(entry, (set) => set.rpn), pair(entry, (set) => set.band ?? '—'),
    truncate(entry.row.failureMode, 40),
  ]);
  if (table.length > 0) lines.push(...formatColumns([HEADERS, ...table]));
  if (unrated.length > 0) {
    // Ranked apart: without S/O/D there is no AP or RPN to rank them among the rated rows.
    lines.push('', `not yet rated (${unrated.length}), in the document's priority order — rate them, or run their experiments:`);
    lines.push(...formatColumns([UNRATED_HEADERS, ...unrated.map((entry) => [
      String(entry.rank), entry.row.id, entry.row.priority ?? '—', entry.experimented ? 'yes' : 'no', truncate(entry.row.failureMode, 50),
    ])]));
  }
  for (const entry of experimented) lines.push('', ...formatEvidence(entry));
  if (scored.conflicts.length > 0) lines.push('', 'merge conflicts:', ...scored.conflicts.map((conflict) => `  ${conflict}`));
  return lines.join('\n');
}

/** The measured ratings of one row, per configuration and scenario (never pooled), with their rules and evidence, one line each. */
export function formatEvidence(entry: ScoredRow): string[] {
  const { analyst, measured } = entry;
  const figures = measured ? `measured S ${measured.severity} O ${measured.occurrence} D ${measured.detection}` : 'no measured ratings';
  const lines = [`${entry.row.id}: ${figures} (analyst S ${analyst.severity} O ${analyst.occurrence} D ${analyst.detection})`];
  if (entry.disagreement) lines.push(`  ${entry.disagreement}`);
  for (const group of entry.configurations) {
    const set = group.measured;
    lines.push(`  ${group.configuration} — scenario ${group.scenario}: ${set ? `S ${set.severity} O ${set.occurrence} D ${set.detection}, RPN ${set.rpn}, AP ${set.ap}` : 'no measured ratings'}`);
    for (const derived of [group.derived.detection, group.derived.severity, group.derived.occurrence]) {
      if (derived) lines.push(`    ${derived.dimension[0]!.toUpperCase()} ${derived.rating} ← ${derived.rule}: ${derived.reason} [${describeEvidence(derived)}]`);
    }
    for (const note of group.notes) lines.push(`    note: ${note}`);
    if (group.disagreement && group !== entry.configurations[0]) lines.push(`    ${group.disagreement}`);
  }
  return lines;
}

function describeEvidence(derived: DerivedRating): string {
  const { evidence } = derived;
  const parts = [`runs ${evidence.runs}`, `from ${evidence.runIds.join(', ')}`];
  if (evidence.ttdP95Ms !== undefined) parts.push(`target TTD p95 ${evidence.ttdP95Ms === null ? '—' : `${Number(evidence.ttdP95Ms.toFixed(2))} ms`}`);
  if (evidence.testTtdP95Ms !== undefined) parts.push(`probe TTD p95 ${evidence.testTtdP95Ms === null ? '—' : `${Number(evidence.testTtdP95Ms.toFixed(2))} ms`} (the test’s)`);
  if (evidence.budgetMs !== undefined) parts.push(`budget ${evidence.budgetMs} ms`);
  if (derived.stale) parts.push('stale');
  return parts.join(', ');
}

function pair(entry: ScoredRow, pick: (set: RatingSet) => string | number): string {
  const analyst = String(pick(entry.analyst));
  if (!entry.measured) return analyst;
  const measured = String(pick(entry.measured));
  return measured === analyst ? analyst : `${analyst}→${measured}`;
}

function formatColumns(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd());
}

function truncate(text: string, length: number): string {
  return text.length > length ? `${text.slice(0, length - 1)}…` : text;
}
