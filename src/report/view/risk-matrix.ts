// The risk matrix: Severity × Occurrence in the Action Priority's own bands, each cell naming its failure modes
// and coloured by the worst AP among them; one for the analyst's ratings, one for the measured ones.
import type { TopLevelSpec } from 'vega-lite';
import { compareActionPriority, type ActionPriority, type ScoredWorksheet } from '../../fmea/index.js';
import { AP_COLORS } from '../charts/theme.js';

/** The AP table's bands (AIAG-VDA): Severity from the top, Occurrence from the left. */
export const SEVERITY_BANDS = [{ label: '9–10', min: 9 }, { label: '7–8', min: 7 }, { label: '4–6', min: 4 }, { label: '2–3', min: 2 }, { label: '1', min: 1 }];
export const OCCURRENCE_BANDS = [{ label: '1', min: 1 }, { label: '2–3', min: 2 }, { label: '4–5', min: 4 }, { label: '6–7', min: 6 }, { label: '8–10', min: 8 }];

/** Ids a cell names before it says "+N more". */
export const CELL_IDS = 3;

/** One cell: its failure modes, the worst AP among them ('none' when empty) and the text drawn in it. */
export interface MatrixCell {
  s: string;
  o: string;
  n: number;
  ap: ActionPriority | 'none';
  ids: string[];
  label: string;
}

// The band a rating falls in.
const findBand = (bands: typeof SEVERITY_BANDS, rating: number) => bands.find((band) => rating >= band.min)?.label ?? bands.at(-1)!.label;

/** The 25 cells of the matrix from the analyst's ratings (or the measured ones, where `measured`). */
export function buildMatrixCells(scored: ScoredWorksheet, measured = false): MatrixCell[] {
  const cells = new Map<string, MatrixCell>();
  for (const s of SEVERITY_BANDS) for (const o of OCCURRENCE_BANDS) cells.set(`${s.label}:${o.label}`, { s: s.label, o: o.label, n: 0, ap: 'none', ids: [], label: '' });
  for (const entry of scored.rows) {
    const set = measured ? entry.measured : entry.analyst;
    if (!set) continue;
    const cell = cells.get(`${findBand(SEVERITY_BANDS, set.severity)}:${findBand([...OCCURRENCE_BANDS].reverse(), set.occurrence)}`)!;
    cell.n += 1;
    cell.ids.push(entry.row.id);
    if (cell.ap === 'none' || compareActionPriority(set.ap, cell.ap) < 0) cell.ap = set.ap;
  }
  for (const cell of cells.values()) {
    const shown = cell.ids.length > CELL_IDS ? cell.ids.slice(0, CELL_IDS - 1) : cell.ids;
    cell.label = [...shown, ...(cell.ids.length > shown.length ? [`+${cell.ids.length - shown.length} more`] : [])].join('\n');
  }
  return [...cells.values()];
}

/** The vega-lite spec of one matrix. */
export function createRiskMatrixSpec(cells: readonly MatrixCell[], title = 'Risk matrix (analyst ratings)'): TopLevelSpec {
  return {
    title: { text: title, anchor: 'start' },
    description: `${title}: Severity by Occurrence in the Action Priority bands; each cell names its failure modes and is coloured by the worst AP among them`,
    width: 500,
    height: 340,
    data: { values: cells.map((cell) => ({ ...cell, ids: cell.ids.join(', ') })) },
    encoding: {
      x: { field: 'o', type: 'ordinal', title: 'Occurrence (band)', sort: OCCURRENCE_BANDS.map((band) => band.label), scale: { paddingInner: 0.06 }, axis: { labelAngle: 0, domain: false, ticks: false, orient: 'bottom' } },
      y: { field: 's', type: 'ordinal', title: 'Severity (band)', sort: SEVERITY_BANDS.map((band) => band.label), scale: { paddingInner: 0.06 }, axis: { domain: false, ticks: false } },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'ap', type: 'nominal',
            scale: { domain: ['H', 'M', 'L', 'none'], range: [AP_COLORS.H, AP_COLORS.M, AP_COLORS.L, '#8b95a7'] },
            legend: { title: 'Worst AP in cell', values: ['H', 'M', 'L'], orient: 'bottom', direction: 'horizontal' },
          },
          opacity: { condition: { test: 'datum.n === 0', value: 0.12 }, value: 0.95 },
        },
      },
      { mark: { type: 'text', fontWeight: 600, fontSize: 9.5, color: '#ffffff', lineBreak: '\n', lineHeight: 12, baseline: 'middle' }, encoding: { text: { field: 'label' } } },
    ],
  } as TopLevelSpec;
}
