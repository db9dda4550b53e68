// Ranking of worksheet rows: Action Priority first, then Severity, then RPN (docs/fmea.md).
import { compareActionPriority, getActionPriority } from './action-priority.js';
import type { ActionPriority } from '../schema/worksheet.js';

/** The figures a row is ranked by. */
export interface RankKey {
  id: string;
  ap: ActionPriority;
  severity: number;
  rpn: number;
}

/** Anything with an id and S/O/D ratings. */
export interface RatedRow {
  id: string;
  severity: number;
  occurrence: number;
  detection: number;
}

/** The rank key of a row from its own ratings. */
export function getRankKey(row: RatedRow): RankKey {
  return {
    id: row.id,
    ap: getActionPriority(row.severity, row.occurrence, row.detection),
    severity: row.severity,
    rpn: row.severity * row.occurrence * row.detection,
  };
}

/** Returns the rows sorted by AP (H first), then S, then RPN (both descending), then id. */
export function rankRows<T extends RatedRow>(rows: readonly T[], getKey?: (row: T) => RankKey): T[];
export function rankRows<T>(rows: readonly T[], getKey: (row: T) => RankKey): T[];
export function rankRows<T>(rows: readonly T[], getKey: (row: T) => RankKey = getRankKey as (row: T) => RankKey): T[] {
  return rows
    .map((row) => ({ row, key: getKey(row) }))
    .sort((a, b) => compareActionPriority(a.key.ap, b.key.ap)
      || b.key.severity - a.key.severity
      || b.key.rpn - a.key.rpn
      || a.key.id.localeCompare(b.key.id))
    .map(({ row }) => row);
}
