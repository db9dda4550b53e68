// The risk matrix: Severity × Occurrence, each cell coloured by the worst Action Priority of its failure modes.
import type { TopLevelSpec } from 'vega-lite';
import { compareActionPriority, type ActionPriority, type ScoredWorksheet } from '../../fmea/index.js';
import { AP_COLORS } from '../charts/theme.js';

const RATINGS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

/** One cell: its failure modes and the worst AP among them ('none' when empty). */
export interface MatrixCell {
  s: number;
  o: number;
  n: number;
  ap: ActionPriority | 'none';
  label: string;
}

/** The 100 cells of the matrix from the analyst's ratings (or the measured ones, where `measured`). */
export function buildMatrixCells(scored: ScoredWorksheet, measured = false): MatrixCell[] {
  const cells = new Map<string, MatrixCell>();
  for (const s of RATINGS) for (const o of RATINGS) cells.set(`${s}:${o}`, { s, o, n: 0, ap: 'none', label: '' });
  for (const entry of scored.rows) {
    const set = measured ? entry.measured : entry.analyst;
    if (!set) continue;
    const cell = cells.get(`${set.severity}:${set.occurrence}`)!;
    cell.n += 1;
    cell.label = String(cell.n);
    if (cell.ap === 'none' || compareActionPriority(set.ap, cell.ap) < 0) cell.ap = set.ap;
  }
  return [...cells.values()];
}

/** The vega-lite spec of the matrix. */
export function createRiskMatrixSpec(cells: readonly MatrixCell[]): TopLevelSpec {
  return {
    description: 'Risk matrix: Severity by Occurrence, cells coloured by the worst Action Priority',
    width: 360,
    height: 320,
    data: { values: cells.map((cell) => ({ ...cell })) },
    encoding: {
      x: { field: 'o', type: 'ordinal', title: 'Occurrence', sort: RATINGS, scale: { paddingInner: 0.08 }, axis: { labelAngle: 0, domain: false, ticks: false } },
      y: { field: 's', type: 'ordinal', title: 'Severity', sort: 'descending', scale: { paddingInner: 0.08 }, axis: { domain: false, ticks: false } },
    },
    layer: [
      {
        mark: { type: 'rect' },
        encoding: {
          color: {
            field: 'ap', type: 'nominal',
            scale: { domain: ['H', 'M', 'L', 'none'], range: [AP_COLORS.H, AP_COLORS.M, AP_COLORS.L, '#8b95a7'] },
            legend: { title: 'Worst AP in cell', values: ['H', 'M', 'L'], orient: 'right' },
          },
          opacity: { condition: { test: 'datum.n === 0', value: 0.14 }, value: 0.95 },
        },
      },
      { mark: { type: 'text', fontWeight: 700, fontSize: 12, color: '#ffffff' }, encoding: { text: { field: 'label' } } },
    ],
  };
}
