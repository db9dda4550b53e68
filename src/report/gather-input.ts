// Gathers a report's inputs around a summary: journal, earlier runs, worksheets (given or found), settings.
import type { Summary } from '../analyse/summary-schema.js';
import { DEFAULT_FMEA_CONFIG, type FmeaConfig } from '../fmea/index.js';
import type { JournalEvent } from '../journal/events.js';
import type { ReportInput } from './report-input.js';
import { findWorksheetFiles, loadWorksheetRows } from './worksheets.js';
import { findClaimsFiles, loadClaimsFile } from '../claims/claims-file.js';
import type { Claim } from '../claims/schema.js';
import { getErrorMessage } from '../errors.js';

/** What may be given; everything else is found or defaulted. */
export interface GatherOptions {
  journal?: readonly JournalEvent[];
  /** Earlier runs for the trend and Occurrence, in any order; the summary itself is added when missing. */
  history?: readonly Summary[];
  /** Worksheet files; when left out, worksheet.yaml files beside or above the scenario files are used. */
  worksheets?: readonly string[];
  fmeaConfig?: FmeaConfig;
  /** Claims files; when left out, claims.yaml beside or above the scenario files. */
  claims?: readonly string[];
  notes?: readonly string[];
  now?: Date;
  /** Sign-off names; each one given replaces the one in the summary. */
  signOff?: { preparedBy?: string; reviewer?: string };
}

/** The report input of a summary. Given worksheets must load (InputError); found ones that fail become notes. */
export function gatherReportInput(summary: Summary, options: GatherOptions = {}): ReportInput {
  const given = options.worksheets !== undefined;
  const worksheet = loadWorksheetRows(options.worksheets ?? findWorksheetFiles(summary), { strict: given });
  const claims = loadClaims(options.claims ?? findClaimsFiles(summary.scenarios.map((scenario) => scenario.file)), options.claims !== undefined);
  const history = [...(options.history ?? [])];
  if (!history.some((run) => run.runId === summary.runId)) history.push(summary);
  history.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return {
    summary,
    journal: options.journal ?? [],
    history,
    worksheet: { rows: worksheet.rows, files: worksheet.files },
    ...(claims.files.length > 0 ? { claims: { claims: claims.claims, files: claims.files } } : {}),
    fmeaConfig: options.fmeaConfig ?? DEFAULT_FMEA_CONFIG,
    notes: [...(options.notes ?? []), ...worksheet.notes, ...claims.notes],
    generatedAt: options.now ?? new Date(),
    signOff: { ...summary.signOff, ...options.signOff },
  };
}

// Given claims files must load; found ones that do not become notes (as worksheets do).
function loadClaims(files: readonly string[], strict: boolean): { claims: Claim[]; files: string[]; notes: string[] } {
  const result = { claims: [] as Claim[], files: [] as string[], notes: [] as string[] };
  for (const file of files) {
    try {
      result.claims.push(...loadClaimsFile(file).claims);
      result.files.push(file);
    } catch (error) {
      if (strict) throw error;
      result.notes.push(`claims ${file} were left out: ${getErrorMessage(error)}`);
    }
  }
  return result;
}
