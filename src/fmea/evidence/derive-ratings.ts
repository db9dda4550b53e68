// Evidence-derived S, O and D for one failure mode, each with its rule, evidence and staleness.
import type { FmeaConfig } from '../schema/config.js';
import type { DerivedRating } from '../schema/derived.js';
import { deriveDetection } from './derive-detection.js';
import { deriveOccurrence } from './derive-occurrence.js';
import { deriveSeverity } from './derive-severity.js';
import { getEvidenceAgeDays, type HistoryEntry } from './scenario-history.js';

/** The derived ratings that evidence supports, and why the others are missing. */
export interface DerivedRatings {
  severity?: DerivedRating;
  occurrence?: DerivedRating;
  detection?: DerivedRating;
  notes: string[];
  stale: boolean;
}

/** Derives S and D from the newest report and O from all of them; `history` is newest first and of one configuration of one scenario (see groupHistory). */
export function deriveRatings(history: readonly HistoryEntry[], config: FmeaConfig, now: Date = new Date()): DerivedRatings {
  const latest = history[0];
  if (!latest) return { notes: [], stale: false };
  const age = getEvidenceAgeDays(latest.startedAt, now);
  const stale = age !== null && age > config.staleAfterDays;
  const result: DerivedRatings = { notes: [], stale };
  const outcomes = {
    detection: deriveDetection(latest, config.detection),
    severity: deriveSeverity(latest, config.severity),
    occurrence: deriveOccurrence(history, config.occurrence),
  };
  for (const [dimension, outcome] of Object.entries(outcomes) as [keyof typeof outcomes, (typeof outcomes)[keyof typeof outcomes]][]) {
    if (typeof outcome === 'string') result.notes.push(`${dimension[0]!.toUpperCase()}${dimension.slice(1)}: ${outcome}`);
    else result[dimension] = { ...outcome, stale };
  }
  if (stale) result.notes.push(`evidence from ${latest.startedAt} is ${Math.floor(age!)} days old (stale after ${config.staleAfterDays})`);
  return result;
}
