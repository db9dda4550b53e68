// The RPN Pareto: failure modes by RPN, largest first, with the cumulative share of total RPN.
import type { TopLevelSpec } from 'vega-lite';
import type { ScoredWorksheet } from '../../fmea/index.js';
import { ACCENT, AP_COLORS } from '../charts/theme.js';

/** Bars shown before the rest are folded into one "others" bar. */
export const PARETO_BARS = 25;

/** One bar of the Pareto. */
export interface ParetoBar {
  key: string;
  order: number;
  rpn: number;
  cumulative: number;
  ap: string;
}

/** Bars by analyst RPN (descending) with cumulative shares; the tail beyond `limit` is one bar. */
export function buildParetoBars(scored: ScoredWorksheet, limit = PARETO_BARS): ParetoBar[] {
  const rows = scored.rows.map((entry) => ({ key: entry.row.id, rpn: entry.analyst.rpn, ap: entry.analyst.ap }))
    .sort((a, b) => b.rpn - a.rpn || a.key.localeCompare(b.key));
  const total = rows.reduce((sum, row) => sum + row.rpn, 0);
  if (total === 0) return [];
  const shown = rows.length > limit ? rows.slice(0, limit - 1) : rows;
  const rest = rows.slice(shown.length);
  const bars = rest.length > 0 ? [...shown, { key: `${rest.length} others`, rpn: rest.reduce((sum, row) => sum + row.rpn, 0), ap: 'others' }] : shown;
  let running = 0;
  return bars.map((bar, order) => {
    running += bar.rpn;
    return { ...bar, order, cumulative: running / total };
  });
}

/** The vega-lite spec of the Pareto chart. */
export function createParetoSpec(bars: readonly ParetoBar[]): TopLevelSpec {
  const folded = bars.some((bar) => bar.ap === 'others');
  const x = { field: 'key', type: 'nominal', title: 'Failure mode (largest RPN first)', sort: bars.map((bar) => bar.key), axis: { labelAngle: -40 } } as const;
  const cumulative = { field: 'cumulative', type: 'quantitative', title: 'Cumulative share of RPN', scale: { domain: [0, 1] as number[] }, axis: { format: '.0%', orient: 'right', grid: false } } as const;
  return {
    title: { text: 'RPN Pareto (analyst ratings)', anchor: 'start' },
    description: 'RPN Pareto: failure modes by RPN with the cumulative share of total RPN',
    width: Math.max(360, Math.min(820, bars.length * 30)),
    height: 240,
    data: { values: bars.map((bar) => ({ ...bar })) },
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          y: { field: 'rpn', type: 'quantitative', title: 'RPN (analyst)' },
          color: { field: 'ap', type: 'nominal', title: 'AP', scale: { domain: folded ? ['H', 'M', 'L', 'others'] : ['H', 'M', 'L'], range: [AP_COLORS.H, AP_COLORS.M, AP_COLORS.L, ACCENT.muted] } },
        },
      },
      {
        layer: [
          { mark: { type: 'line', color: ACCENT.line, strokeWidth: 2, point: { filled: true, size: 28, color: ACCENT.line } }, encoding: { x, y: cumulative } },
          { mark: { type: 'rule', color: ACCENT.muted, strokeDash: [4, 3] }, encoding: { y: { datum: 0.8, type: 'quantitative' } } },
        ],
      },
    ],
    resolve: { scale: { y: 'independent' } },
  };
}
