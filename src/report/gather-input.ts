// Gathers a report's inputs around a summary: journal, earlier runs, worksheets (given or found), settings.
import type { Summary } from '../analyse/summary-schema.js';
import { DEFAULT_FMEA_CONFIG, type FmeaConfig } from '../fmea/index.js';
import type { JournalEvent } from '../journal/events.js';
import type { ReportInput } from './report-input.js';
import { findWorksheetFiles, loadWorksheetRows } from './worksheets.js';

/** What may be given; everything else is found or defaulted. */
export interface GatherOptions {
  journal?: readonly JournalEvent[];
  /** Earlier runs for the trend and Occurrence, in any order; the summary itself is added when missing. */
  history?: readonly Summary[];
  /** Worksheet files; when left out, worksheet.yaml files beside or above the scenario files are used. */
  worksheets?: readonly string[];
  fmeaConfig?: FmeaConfig;
  notes?: readonly string[];
  now?: Date;
  /** Sign-off names; each one given replaces the one in the summary. */
  signOff?: { preparedBy?: string; reviewer?: string };
}

/** The report input of a summary. Given worksheets must load (InputError); found ones that fail become notes. */
export function gatherReportInput(summary: Summary, options: GatherOptions = {}): ReportInput {
  const given = options.worksheets !== undefined;
  const worksheet = loadWorksheetRows(options.worksheets ?? findWorksheetFiles(summary), { strict: given });
  const history = [...(options.history ?? [])];
  if (!history.some((run) => run.runId === summary.runId)) history.push(summary);
  history.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  return {
    summary,
    journal: options.journal ?? [],
    history,
    worksheet: { rows: worksheet.rows, files: worksheet.files },
    fmeaConfig: options.fmeaConfig ?? DEFAULT_FMEA_CONFIG,
    notes: [...(options.notes ?? []), ...worksheet.notes],
    generatedAt: options.now ?? new Date(),
    signOff: { ...summary.signOff, ...options.signOff },
  };
}
