import { describe, expect, test } from 'vitest';
import { buildParetoBars } from '../../src/report/view/pareto.js';
import { buildMatrixCells } from '../../src/report/view/risk-matrix.js';
import { findWorstRto } from '../../src/report/view/executive.js';
import { buildReportView } from '../../src/report/view/build-view.js';
import { scoreReportWorksheet } from '../../src/report/view/worksheet.js';
import { createTestInput } from './helpers.js';

describe('report view models', () => {
  test('each risk-matrix cell counts its failure modes and takes the worst AP among them', () => {
    const input = createTestInput({ rows: 1, scenarios: 1 });
    input.history = []; // no scenario rows: only the worksheet below
    input.worksheet = {
      files: [],
      rows: [
        { id: 'A', failureMode: 'a', severity: 9, occurrence: 3, detection: 1 }, // L
        { id: 'B', failureMode: 'b', severity: 9, occurrence: 3, detection: 9 }, // H
        { id: 'C', failureMode: 'c', severity: 2, occurrence: 2, detection: 2 }, // L
      ],
    };
    const cells = buildMatrixCells(scoreReportWorksheet(input));
    expect(cells).toHaveLength(100);
    expect(cells.find((cell) => cell.s === 9 && cell.o === 3)).toMatchObject({ n: 2, ap: 'H', label: '2' });
    expect(cells.find((cell) => cell.s === 2 && cell.o === 2)).toMatchObject({ n: 1, ap: 'L' });
    expect(cells.filter((cell) => cell.ap === 'none')).toHaveLength(98);
  });

  test('the Pareto sorts by RPN, folds the tail into one bar and ends at 100%', () => {
    const input = createTestInput({ rows: 40, scenarios: 2, runsPerScenario: 1 });
    const bars = buildParetoBars(scoreReportWorksheet(input), 10);
    expect(bars).toHaveLength(10);
    expect(bars.at(-1)).toMatchObject({ key: '31 others', ap: 'others', cumulative: 1 });
    const shown = bars.slice(0, -1).map((bar) => bar.rpn);
    expect(shown).toEqual([...shown].sort((a, b) => b - a));
    expect(bars.every((bar, index) => index === 0 || bar.cumulative >= bars[index - 1]!.cumulative)).toBe(true);
  });

  test('the worst RTO is a scenario that did not recover, else the largest p95 against its target', () => {
    const { summary } = createTestInput({ rows: 4, scenarios: 3, runsPerScenario: 2 });
    for (const scenario of summary.scenarios) {
      for (const run of scenario.runs) Object.assign(run, { status: 'completed', recovered: true, rtoMs: 1000 });
      scenario.stats.rtoMs = { p50: 1000, p95: 1000, max: 1000 };
    }
    summary.scenarios[1]!.stats.rtoMs = { p50: 4000, p95: 4500, max: 4500 };
    expect(findWorstRto(summary.scenarios)).toMatchObject({ id: summary.scenarios[1]!.id, text: 'p95 4.50 s against a 5.00 s target', tone: 'ok' });
    Object.assign(summary.scenarios[2]!.runs[0]!, { recovered: false, rtoMs: null });
    expect(findWorstRto(summary.scenarios)).toMatchObject({ id: summary.scenarios[2]!.id, text: 'not recovered in 1 of 2 runs against a 5.00 s target', tone: 'bad' });
  });

  test('worksheet rows from files and from scenarios are ranked with measured ratings beside the analyst’s', () => {
    const input = createTestInput({ rows: 30, scenarios: 5, runsPerScenario: 3 });
    const { view, specs } = buildReportView(input);
    expect(view.worksheet.total).toBe(30);
    expect(view.worksheet.measuredCount).toBe(5);
    const order = 'HML';
    const aps = view.worksheet.rows.map((row) => order.indexOf(row.analyst.ap));
    expect(aps).toEqual([...aps].sort((a, b) => a - b));
    const measured = view.worksheet.rows.find((row) => row.measured)!;
    expect(measured.reasons.length).toBeGreaterThan(0);
    expect(view.claims.untested).toHaveLength(25);
    expect(Object.keys(specs).filter((key) => specs[key])).toEqual(expect.arrayContaining(['riskMatrix', 'pareto', 'ttd', 'rto', 'timeline0', 'timeline4']));
  });
});
