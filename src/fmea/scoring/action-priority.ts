// AIAG & VDA FMEA Handbook (2019) Action Priority, the table in docs/fmea.md.
import type { ActionPriority } from '../schema/worksheet.js';
import { isRating } from './rpn.js';

// Band index of a rating: S 9–10, 7–8, 4–6, 2–3, 1; O 8–10, 6–7, 4–5, 2–3, 1; D 7–10, 5–6, 2–4, 1.
const SEVERITY_BAND = [4, 3, 3, 2, 2, 2, 1, 1, 0, 0];
const OCCURRENCE_BAND = [4, 3, 3, 2, 2, 1, 1, 0, 0, 0];
const DETECTION_BAND = [3, 2, 2, 2, 1, 1, 0, 0, 0, 0];

// Rows: S band; columns: O band; letters: D 7–10, 5–6, 2–4, 1.
const TABLE: readonly (readonly string[])[] = [
  ['HHHH', 'HHHH', 'HHHM', 'HMLL', 'LLLL'],
  ['HHHH', 'HHHM', 'HMMM', 'MMLL', 'LLLL'],
  ['HHMM', 'MMML', 'MLLL', 'LLLL', 'LLLL'],
  ['MMLL', 'LLLL', 'LLLL', 'LLLL', 'LLLL'],
  ['LLLL', 'LLLL', 'LLLL', 'LLLL', 'LLLL'],
];

/** The Action Priority (H, M, L) of a Severity / Occurrence / Detection triple. */
export function getActionPriority(severity: number, occurrence: number, detection: number): ActionPriority {
  if (!isRating(severity) || !isRating(occurrence) || !isRating(detection)) {
    throw new RangeError(`ratings must be integers from 1 to 10; got S ${severity}, O ${occurrence}, D ${detection}`);
  }
  const letters = TABLE[SEVERITY_BAND[severity - 1]!]![OCCURRENCE_BAND[occurrence - 1]!]!;
  return letters[DETECTION_BAND[detection - 1]!] as ActionPriority;
}

/** Sort order of Action Priorities: H before M before L. */
export function compareActionPriority(a: ActionPriority, b: ActionPriority): number {
  return 'HML'.indexOf(a) - 'HML'.indexOf(b);
}
