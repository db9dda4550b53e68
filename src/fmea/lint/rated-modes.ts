// The failure modes a document rates, with one effective rating each (a table row wins over a section).
import { multiplyStatedRatings } from '../scoring/rpn.js';
import type { FmeaDocument, SectionEntry, TableEntry } from '../document/model.js';
import { getIdFamily, hasRating } from '../document/read-document.js';

/** A failure mode and the figures the linter counts and sums it by. */
export interface RatedMode {
  id: string;
  line: number;
  from: 'table' | 'section';
  severity?: number;
  occurrence?: number;
  detection?: number;
  rpn?: number;
}

/** Rated failure modes: every id in a rating table, then ids rated only in a section. */
export function getRatedModes(document: FmeaDocument): RatedMode[] {
  const modes = new Map<string, RatedMode>();
  for (const entry of document.tables) if (!modes.has(entry.id)) modes.set(entry.id, fromTable(entry));
  for (const section of document.sections) {
    if (!modes.has(section.id) && hasRating(section)) modes.set(section.id, fromSection(section));
  }
  return [...modes.values()];
}

/** The table's rows, first row per id (later duplicates are the conflict check's business). */
export function getTableModes(document: FmeaDocument): RatedMode[] {
  return getRatedModes(document).filter((mode) => mode.from === 'table');
}

/** Id families (SPOF, CASCADE, …) that have at least one rated failure mode. */
export function getRatedFamilies(modes: readonly RatedMode[]): string[] {
  return [...new Set(modes.map((mode) => getIdFamily(mode.id)).filter((family): family is string => family !== undefined))];
}

/** S implied by a section that states O, D and RPN but no S; undefined when it is not a whole 1–10. */
export function getImpliedSeverity(section: SectionEntry): number | undefined {
  if (section.severity || !section.occurrence || !section.detection || !section.rpn) return undefined;
  const severity = section.rpn.value / (section.occurrence.value * section.detection.value);
  return Number.isInteger(severity) && severity >= 1 && severity <= 10 ? severity : undefined;
}

/** Sum of the RPNs that are known. */
export function sumRpn(modes: readonly RatedMode[]): number {
  return modes.reduce((sum, mode) => sum + (mode.rpn ?? 0), 0);
}

function fromTable(entry: TableEntry): RatedMode {
  const rpn = entry.rpn ?? multiplyStatedRatings(entry);
  return { id: entry.id, line: entry.line, from: 'table', ...pick(entry.severity, entry.occurrence, entry.detection), ...(rpn !== undefined ? { rpn } : {}) };
}

function fromSection(section: SectionEntry): RatedMode {
  const severity = section.severity?.value ?? getImpliedSeverity(section);
  const occurrence = section.occurrence?.value;
  const detection = section.detection?.value;
  const rpn = section.rpn?.value ?? multiplyStatedRatings({ severity, occurrence, detection });
  return { id: section.id, line: section.line, from: 'section', ...pick(severity, occurrence, detection), ...(rpn !== undefined ? { rpn } : {}) };
}

function pick(severity?: number, occurrence?: number, detection?: number): Pick<RatedMode, 'severity' | 'occurrence' | 'detection'> {
  return {
    ...(severity !== undefined ? { severity } : {}),
    ...(occurrence !== undefined ? { occurrence } : {}),
    ...(detection !== undefined ? { detection } : {}),
  };
}
