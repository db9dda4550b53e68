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

/**
 * Merges worksheet rows with rows from experiments (scenario fmea blocks). A field the experiment
 * states wins, since it is what the runs were scored with; the worksheet fills in the rest
 * (controls, actions, owner). Rows with no experiment are kept as they are.
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
    const defined = Object.fromEntries(Object.entries(experiment).filter(([, value]) => value !== undefined && value !== ''));
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
    severity, occurrence, detection,
    scenario: scenarioId,
  };
}
