// Rows from scenarios' fmea blocks and from worksheet files, merged by failure-mode id.
import type { EvidenceFmea } from '../evidence/read-evidence.js';
import type { WorksheetRow } from '../schema/worksheet.js';

/** Two sources rating one failure mode differently; the experiment's ratings are kept. */
export interface RowConflict {
  id: string;
  fields: string[];
  message: string;
}

/** Merged rows (worksheet order first, new ids after) and the conflicts found. */
export interface MergedRows {
  rows: WorksheetRow[];
  conflicts: RowConflict[];
}

// The analyst's words: a worksheet's text stays as written; an experiment never renames a row.
const TEXT_FIELDS = ['component', 'function', 'failureMode', 'effect', 'cause', 'preventionControls', 'detectionControls', 'recommendedAction', 'owner', 'status'] as const;

/**
 * Merges worksheet rows with rows from experiments (scenario fmea blocks). The experiment's S/O/D
 * win, since they are what the runs were scored with (a conflict is reported); the worksheet's text
 * columns stay as the analyst wrote them, and the experiment only fills in the ones it leaves empty.
 * Rows with no experiment are kept as they are.
 */
export function mergeRows(worksheetRows: readonly WorksheetRow[], experimentRows: readonly WorksheetRow[]): MergedRows {
  const merged = new Map<string, WorksheetRow>(worksheetRows.map((row) => [row.id, { ...row }]));
  const conflicts: RowConflict[] = [];
  for (const experiment of experimentRows) {
    const base = merged.get(experiment.id);
    if (!base) {
      merged.set(experiment.id, { ...experiment });
      continue;
    }
    const fields = (['severity', 'occurrence', 'detection'] as const).filter((field) => base[field] !== experiment[field]);
    if (fields.length > 0) {
      const describe = (row: WorksheetRow) => fields.map((field) => `${field[0]!.toUpperCase()} ${row[field]}`).join(', ');
      conflicts.push({
        id: experiment.id, fields,
        message: `${experiment.id}: the worksheet says ${describe(base)}${base.source ? ` (${base.source})` : ''}, scenario ${experiment.scenario ?? '?'} says ${describe(experiment)}; the scenario's ratings are used`,
      });
    }
    const defined = Object.fromEntries(Object.entries(experiment).filter(([key, value]) => value !== undefined && value !== ''
      && !((TEXT_FIELDS as readonly string[]).includes(key) && base[key as (typeof TEXT_FIELDS)[number]] !== undefined && base[key as (typeof TEXT_FIELDS)[number]] !== '')));
    const { rpn: _rpn, ap: _ap, ...rest } = base;
    merged.set(experiment.id, fields.length > 0 ? { ...rest, ...defined } : { ...base, ...defined });
  }
  return { rows: [...merged.values()], conflicts };
}

/** A worksheet row from a scenario's fmea block (as in summary.json); undefined without S/O/D. */
export function rowFromScenarioFmea(fmea: EvidenceFmea, scenarioId: string): WorksheetRow | undefined {
  const { severity, occurrence, detection } = fmea;
  if (severity === undefined || occurrence === undefined || detection === undefined) return undefined;
  return {
    id: fmea.id,
    ...(fmea.component ? { component: fmea.component } : {}),
    failureMode: fmea.failureMode ?? fmea.id,
    ...(fmea.effect ? { effect: fmea.effect } : {}),
    ...(fmea.cause ? { cause: fmea.cause } : {}),
    ...(fmea.function ? { function: fmea.function } : {}),
    ...(fmea.preventionControls ? { preventionControls: fmea.preventionControls } : {}),
    ...(fmea.detectionControls ? { detectionControls: fmea.detectionControls } : {}),
    ...(fmea.recommendedAction ? { recommendedAction: fmea.recommendedAction } : {}),
    ...(fmea.owner ? { owner: fmea.owner } : {}),
    ...(fmea.status ? { status: fmea.status } : {}),
    severity, occurrence, detection,
    scenario: scenarioId,
  };
}
