// One scenario file per failure mode with no experiment yet, its fmea block from the document, its gaps marked TODO.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TObject } from '@sinclair/typebox';
import { faultRegistry } from '../../faults/registry.js';
import type { WorksheetRow } from '../schema/worksheet.js';
import { slugify } from '../document/unrated-modes.js';
import { suggestFault } from './suggest-fault.js';

/** What was written and what was left alone. */
export interface ScaffoldResult {
  written: string[];
  skipped: string[];
}

/** Writes `<out>/<id>.yaml` for every row without a scenario; an existing file is never overwritten. */
export function scaffoldScenarios(rows: readonly WorksheetRow[], out: string, from: string): ScaffoldResult {
  mkdirSync(out, { recursive: true });
  const result: ScaffoldResult = { written: [], skipped: [] };
  for (const row of rows) {
    if (row.scenario) {
      result.skipped.push(`${row.id}: has an experiment already (scenario ${row.scenario})`);
      continue;
    }
    const id = slugify(row.id);
    const file = join(out, `${id}.yaml`);
    if (existsSync(file)) {
      result.skipped.push(`${row.id}: ${file} exists; left as it is`);
      continue;
    }
    writeFileSync(file, formatScaffold(row, id, from), { flag: 'wx' });
    result.written.push(file);
  }
  return result;
}

/** The YAML of one scaffold: every value a person must choose reads "TODO …", which `faultline validate` refuses. */
export function formatScaffold(row: WorksheetRow, id: string, from: string): string {
  const q = (value: string) => JSON.stringify(value);
  const todo = (what: string) => q(`TODO ${what}`);
  const rating = (value: number | undefined, what: string) => (value === undefined ? todo(`rate ${what} 1–10 (not yet rated in the document)`) : String(value));
  const notes = [
    row.priority ? `priority ${row.priority}` : '', row.blastRadius ? `blast radius: ${row.blastRadius}` : '',
    row.effort ? `effort ${row.effort}` : '', row.documentStatus ? `status: ${row.documentStatus}` : '', row.reference ? `issue ${row.reference}` : '',
  ].filter(Boolean);
  const lines = [
    `# Scaffolded by \`faultline scenarios scaffold --from ${from}\` from ${row.source ?? from}.`,
    '# Fill every TODO (and check the suggested fault); `faultline validate` refuses this file until then.',
    `id: ${id}`,
    `title: ${q(row.component ? `${row.component}: ${row.failureMode}` : row.failureMode)}`,
    ...(notes.length > 0 ? [`description: ${q(`From the document: ${notes.join('; ')}.`)}`] : []),
    'fmea:',
    `  id: ${q(row.id)}`,
    `  component: ${row.component ? q(row.component) : todo('the component that fails')}`,
    `  failureMode: ${q(row.failureMode)}`,
    `  effect: ${row.effect ? q(row.effect) : todo('what the failure does to the system and its users')}`,
    `  cause: ${row.cause ? q(row.cause) : todo('why it fails')}`,
    ...(row.preventionControls ? [`  preventionControls: ${q(row.preventionControls)}`] : []),
    ...(row.detectionControls ? [`  detectionControls: ${q(row.detectionControls)}`] : []),
    `  severity: ${rating(row.severity, 'Severity')}`,
    `  occurrence: ${rating(row.occurrence, 'Occurrence')}`,
    `  detection: ${rating(row.detection, 'Detection')}`,
    ...(row.recommendedAction ? [`  recommendedAction: ${q(row.recommendedAction)}`] : []),
    ...(row.source ? [`  source: ${q(row.source)}`] : []),
    'steadyState:',
    `  - probe: ${todo('a probe that passes while the component works (e.g. process.alive, file.parses, http)')}`,
    ...formatFault(row),
    'expect:',
    '  recovered: true',
    '  # rtoMs: the bound of the claim this tests (and `claims: [id]` above)',
    'runs: 3',
    '',
  ];
  return lines.join('\n');
}

// The suggested fault with its required params as TODOs; a suggestion faultline does not have stays a comment.
function formatFault(row: WorksheetRow): string[] {
  const suggestion = suggestFault(row);
  const definition = suggestion ? faultRegistry.get(suggestion.type) : undefined;
  if (!suggestion || !definition) {
    const types = [...faultRegistry.keys()].sort().join(', ');
    return [
      'fault:',
      ...(suggestion ? [`  # TODO: "${suggestion.because}" suggests ${suggestion.type}, which is not a registered fault here; pick one of: ${types}`] : [`  # TODO: pick one of: ${types}`]),
      `  type: ${JSON.stringify('TODO a fault type')}`,
    ];
  }
  const schema = definition.params as unknown as TObject;
  const required = [...(schema.required ?? []).filter((key) => key !== 'type'), ...(CHOSEN_PARAMS[suggestion.type] ?? [])];
  const properties = schema.properties as Record<string, { description?: string }>;
  return [
    'fault:',
    `  # suggested because the document says "${suggestion.because}"; check it fits`,
    `  type: ${suggestion.type}`,
    ...required.map((key) => `  ${key}: ${JSON.stringify(`TODO ${properties[key]?.description ?? key}`)}`),
    ...(CHOSEN_PARAMS[suggestion.type] ? [`  # (or another way to choose: ${Object.keys(properties).filter((key) => !['type', 'name'].includes(key)).join(', ')})`] : []),
  ];
}

// Params a fault needs one of although its schema requires none by name (which process; how full).
const CHOSEN_PARAMS: Record<string, string[]> = {
  'process.kill': ['pidfile'],
  'process.stop': ['pidfile'],
  'disk.fill': ['percent'],
};
