// Everything a report is rendered from: the run, its journal, earlier runs, the worksheet and settings.
import type { Summary } from '../analyse/summary-schema.js';
import type { FmeaConfig, WorksheetRow } from '../fmea/index.js';
import type { JournalEvent } from '../journal/events.js';
import type { Claim } from '../claims/schema.js';

/** The inputs of one report; every format (HTML, JUnit, Markdown, JSON) reads the same. */
export interface ReportInput {
  /** The run the report is about (the newest one given). */
  summary: Summary;
  /** Its journal, in order; empty when the run has none. */
  journal: readonly JournalEvent[];
  /** Every run given, oldest first, the reported one included: evidence for Occurrence and the trend. */
  history: readonly Summary[];
  /** Worksheet rows for failure modes with or without an experiment, and the files they came from. */
  worksheet: { rows: readonly WorksheetRow[]; files: readonly string[] };
  /** Recovery claims (claims.yaml) the report checks against the runs, and the files they came from. */
  claims?: { claims: readonly Claim[]; files: readonly string[] };
  /** Risk bands and evidence rules. */
  fmeaConfig: FmeaConfig;
  /** Problems met while gathering the inputs (an unreadable worksheet, a torn journal). */
  notes: readonly string[];
  /** When the report was rendered (ages of evidence are computed against it). */
  generatedAt: Date;
  /** Names for the sign-off block (blank lines to sign where missing). */
  signOff?: { preparedBy?: string; reviewer?: string };
}
