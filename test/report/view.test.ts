import { describe, expect, test } from 'vitest';
import { buildParetoBars } from '../../src/report/view/pareto.js';
import { buildMatrixCells } from '../../src/report/view/risk-matrix.js';
import { findWorstRto } from '../../src/report/view/executive.js';
import { buildReportView } from '../../src/report/view/build-view.js';
import { scoreReportWorksheet } from '../../src/report/view/worksheet.js';
import { createTestInput } from './helpers.js';

describe('report view models', () => {
  test('each risk-matrix cell (in the AP bands) names its failure modes and takes the worst AP among them', () => {
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
    expect(cells).toHaveLength(25);
    expect(cells.find((cell) => cell.s === '9–10' && cell.o === '2–3')).toMatchObject({ n: 2, ap: 'H', label: 'B\nA' }); // worksheet rank: the H row first
    expect(cells.find((cell) => cell.s === '2–3' && cell.o === '2–3')).toMatchObject({ n: 1, ap: 'L', label: 'C' });
    expect(cells.filter((cell) => cell.ap === 'none')).toHaveLength(23);
  });

  test('a crowded cell names its first ids and how many more', () => {
    const input = createTestInput({ rows: 1, scenarios: 1 });
    input.history = [];
    input.worksheet = { files: [], rows: ['A', 'B', 'C', 'D', 'E', 'F'].map((id) => ({ id, failureMode: id, severity: 8, occurrence: 5, detection: 5 })) };
    expect(buildMatrixCells(scoreReportWorksheet(input)).find((cell) => cell.n > 0)).toMatchObject({ n: 6, label: 'A\nB\n+4 more' });
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

  test('the longest recovery is a run that never recovered, else the longest RTO of any run against its target', () => {
    const { summary } = createTestInput({ rows: 4, scenarios: 3, runsPerScenario: 2 });
    for (const scenario of summary.scenarios) {
      for (const run of scenario.runs) Object.assign(run, { status: 'completed', recovered: true, rtoMs: 1000 });
      scenario.stats.rtoMs = { p50: 1000, p95: 1000, max: 1000 };
    }
    // Scenario 0 has the larger p95, scenario 1 the single longest run: the longest RTO is that run's.
    summary.scenarios[0]!.runs[1]!.rtoMs = 3000;
    summary.scenarios[0]!.stats.rtoMs = { p50: 3000, p95: 3000, max: 3000 };
    summary.scenarios[1]!.runs[0]!.rtoMs = 4500;
    expect(findWorstRto(summary.scenarios)).toMatchObject({ id: summary.scenarios[1]!.id, text: '4.50 s against a 5.00 s target', tone: 'ok' });
    Object.assign(summary.scenarios[2]!.runs[0]!, { recovered: false, rtoMs: null });
    expect(findWorstRto(summary.scenarios)).toMatchObject({ id: summary.scenarios[2]!.id, text: '1 run never recovered', tone: 'bad' });
    summary.scenarios[2]!.verdict = 'known-gap';
    expect(findWorstRto(summary.scenarios)).toMatchObject({ tone: 'warn' });
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
