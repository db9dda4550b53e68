// Column headers of FMEA tables (Markdown, CSV) mapped to worksheet fields.

/** Worksheet fields a table column can fill. */
export type ColumnField =
  | 'id' | 'component' | 'function' | 'failureMode' | 'effect' | 'cause'
  | 'preventionControls' | 'detectionControls' | 'severity' | 'occurrence' | 'detection'
  | 'rpn' | 'ap' | 'riskLevel' | 'priority' | 'evidence' | 'recommendedAction' | 'owner'
  | 'status' | 'scenario' | 'revisedSeverity' | 'revisedOccurrence' | 'revisedDetection'
  | 'revisedRpn' | 'revisedAp';

const ALIASES: Record<ColumnField, string[]> = {
  id: ['id', 'risk id', 'failure mode id', 'fm id', 'fmea id', 'ref'],
  component: ['component', 'item', 'subsystem'],
  function: ['function'],
  failureMode: ['failure mode', 'failuremode', 'mode', 'failure', 'failure scenario'],
  effect: ['effect', 'effects', 'impact', 'blast radius', 'failure effect'],
  cause: ['cause', 'causes', 'root cause', 'trigger'],
  preventionControls: ['prevention controls', 'preventioncontrols', 'prevention', 'current guardrail', 'current controls'],
  detectionControls: ['detection controls', 'detectioncontrols', 'detection control'],
  severity: ['severity', 's', 'sev'],
  occurrence: ['occurrence', 'o', 'occ', 'probability', 'likelihood'],
  detection: ['detection', 'd', 'det', 'detectability'],
  rpn: ['rpn', 'risk priority number'],
  ap: ['ap', 'action priority'],
  riskLevel: ['risk level', 'risklevel', 'level', 'risk', 'criticality'],
  priority: ['priority', 'mitigation priority', 'mitigationpriority'],
  evidence: ['evidence'],
  recommendedAction: ['recommended action', 'recommendedaction', 'action', 'mitigation', 'proposed guardrail'],
  owner: ['owner', 'responsible'],
  status: ['status'],
  scenario: ['scenario', 'experiment'],
  revisedSeverity: ['revised s', 'revised severity', 'new s'],
  revisedOccurrence: ['revised o', 'revised occurrence', 'new o'],
  revisedDetection: ['revised d', 'revised detection', 'new d'],
  revisedRpn: ['revised rpn', 'new rpn'],
  revisedAp: ['revised ap', 'new ap'],
};

const BY_ALIAS = new Map<string, ColumnField>(
  Object.entries(ALIASES).flatMap(([field, aliases]) => aliases.map((alias) => [alias, field as ColumnField] as const)),
);

/** Fields whose cells are numbers. */
export const NUMERIC_FIELDS: ReadonlySet<ColumnField> = new Set([
  'severity', 'occurrence', 'detection', 'rpn', 'revisedSeverity', 'revisedOccurrence', 'revisedDetection', 'revisedRpn',
]);

/** The worksheet field a header names, or undefined for a column faultline does not use. */
export function getColumnField(header: string): ColumnField | undefined {
  return BY_ALIAS.get(normalizeHeader(header));
}

/** Maps each header to its field; the first column naming a field wins. */
export function mapColumns(headers: readonly string[]): Map<ColumnField, number> {
  const columns = new Map<ColumnField, number>();
  headers.forEach((header, index) => {
    const field = getColumnField(header);
    if (field && !columns.has(field)) columns.set(field, index);
  });
  return columns;
}

/** True when the columns carry S, O and D (or RPN): a table worth reading as FMEA. */
export function hasRatingColumns(columns: Map<ColumnField, number>): boolean {
  return (columns.has('severity') && columns.has('occurrence') && columns.has('detection')) || columns.has('rpn');
}

/** Parses a numeric cell ("270", "2,772", "**8**"); undefined when blank, NaN when not a number. */
export function parseNumberCell(cell: string): number | undefined {
  const text = stripMarkup(cell).replace(/,/g, '');
  if (text === '' || text === '-' || text === '—') return undefined;
  return /^\d+(\.\d+)?$/.test(text) ? Number(text) : Number.NaN;
}

/** Removes markdown emphasis and code marks from a cell. */
export function stripMarkup(cell: string): string {
  return cell.replace(/\*\*|__|`/g, '').replace(/^[*_](.*)[*_]$/, '$1').trim();
}

function normalizeHeader(header: string): string {
  return stripMarkup(header).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}
