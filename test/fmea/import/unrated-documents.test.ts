// `fmea import`, `lint` and `score` on documents that list failure modes without S/O/D (seeds 001–004).
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importWorksheet } from '../../../src/fmea/import/import-worksheet.js';
import { runFmeaLint } from '../../../src/fmea/commands/run-lint.js';
import { runFmeaImport } from '../../../src/fmea/commands/run-import.js';
import { scoreWorksheet } from '../../../src/fmea/score/score-worksheet.js';
import { formatScoredWorksheet } from '../../../src/fmea/score/format-score.js';
import { importWorksheet as importAgain } from '../../../src/fmea/index.js';
import { buildWorksheetView } from '../../../src/report/view/worksheet.js';

const seeds = fileURLToPath(new URL('../../../../shared/seeds/', import.meta.url));
const seed = (name: string) => `${seeds}${name}`;
const hasSeeds = existsSync(seed('002_d66a4f7267be67ed.txt'));
if (!hasSeeds) console.warn(`skipping unrated-document tests: the seeds are not in ${seeds}`);
const lines = (name: string) => readFileSync(seed(name), 'utf8').split('\n');

// The table rows that follow a heading, up to the first line that is not a table line (header and separator dropped).
function tableRowsAfter(name: string, heading: string): number {
  const all = lines(name);
  const start = all.findIndex((line) => line.startsWith(heading));
  let count = 0;
  for (let i = start + 1; i < all.length; i++) {
    if (all[i]!.startsWith('|')) count += 1;
    else if (count > 0) break;
  }
  return count - 2;
}

// Counted from the documents by the test's own patterns, not by the code under test.
const expected: Record<string, number> = {
  '001_a0e0c679a4ee87bd.txt': lines('001_a0e0c679a4ee87bd.txt').filter((line) => /^Failure: \S/.test(line)).length,
  '002_d66a4f7267be67ed.txt': tableRowsAfter('002_d66a4f7267be67ed.txt', '## Component Failure Mode Analysis'),
  '003_6dce0df1e6a4fdae.txt': lines('003_6dce0df1e6a4fdae.txt').filter((line) => /^\s*-\s\*\*Issue\*\*: #\d+$/.test(line)).length,
  '004_098b57c6cf46101a.txt': tableRowsAfter('004_098b57c6cf46101a.txt', '### 4.1 RTO by Failure Scenario'),
};

describe.skipIf(!hasSeeds)('fmea import on documents without ratings', () => {
  it('the test counts are what the documents hold (6, 16, 32, 8)', () => {
    expect(Object.values(expected)).toEqual([6, 16, 32, 8]);
  });

  for (const [name, count] of Object.entries(expected)) {
    it(`imports every failure mode of ${name}, none with invented S/O/D`, () => {
      const { worksheet, shapes } = importWorksheet(seed(name));
      expect(worksheet.rows).toHaveLength(count);
      expect(shapes.length).toBeGreaterThan(0);
      for (const row of worksheet.rows) {
        for (const key of ['severity', 'occurrence', 'detection', 'rpn', 'ap'] as const) expect(row[key], `${row.id}.${key}`).toBeUndefined();
        expect(row.source).toMatch(new RegExp(`^${name.replace('.', '\\.')}:\\d+$`));
      }
      expect(new Set(worksheet.rows.map((row) => row.id)).size).toBe(count);
    });
  }

  it('keeps the matrix’s columns: current guardrail as prevention control, proposed as recommended action, priority and blast radius', () => {
    const { worksheet, shapes } = importWorksheet(seed('002_d66a4f7267be67ed.txt'));
    expect(shapes).toEqual([expect.stringMatching(/^resilience matrix/)]);
    const row = worksheet.rows[0]!;
    expect(row).toMatchObject({
      component: 'PostgreSQL Database', failureMode: 'Connection pool exhausted', blastRadius: 'All API requests',
      preventionControls: 'pool_pre_ping=True, pool_size=10', recommendedAction: 'Circuit breaker, pool metrics, graceful degradation',
      effort: 'M', priority: 'P0', source: '002_d66a4f7267be67ed.txt:7',
    });
    const priorities = lines('002_d66a4f7267be67ed.txt').slice(6, 22).map((line) => line.split('|').at(-2)!.trim());
    expect(worksheet.rows.map((entry) => entry.priority ?? '-')).toEqual(priorities);
  });

  it('takes the issue as id and keeps status words with their colour (seed 003)', () => {
    const { worksheet, shapes } = importWorksheet(seed('003_6dce0df1e6a4fdae.txt'));
    expect(shapes).toHaveLength(2);
    const ids = lines('003_6dce0df1e6a4fdae.txt').flatMap((line) => /^\s*-\s\*\*Issue\*\*: #(\d+)$/.exec(line)?.[1] ?? []).map((n) => `issue-${n}`);
    expect(worksheet.rows.map((row) => row.id)).toEqual(ids);
    expect(worksheet.rows[0]).toMatchObject({ id: 'issue-71', failureMode: 'Network Partition', component: 'src/consensus.zig', effect: 'Ledger stops closing', documentStatus: '🔴 Not implemented', reference: '#71' });
    expect(worksheet.rows.find((row) => row.id === 'issue-94')).toMatchObject({ failureMode: 'Memory Leaks', component: 'Any module with allocations', detectionControls: 'Long-running stability tests', documentStatus: '🟡 Manual testing only' });
    expect(worksheet.rows.find((row) => row.id === 'issue-100')).toMatchObject({ failureMode: 'Configuration Errors', cause: 'Invalid config causes crash', documentStatus: '🟡 Basic validation' });
  });

  it('still imports seed 000’s rated tables as rated rows', () => {
    const { worksheet, shapes } = importWorksheet(seed('000_3fd77f1e0f255ec2.txt'));
    expect(shapes).toEqual(['rated FMEA tables and sections']);
    expect(worksheet.rows.length).toBeGreaterThan(0);
    expect(worksheet.rows.every((row) => row.severity !== undefined && row.rpn !== undefined)).toBe(true);
    expect(importAgain).toBe(importWorksheet);
  });

  it('fmea import says which shape it recognised and that the rows are not yet rated', () => {
    let out = '';
    let err = '';
    runFmeaImport({ file: seed('002_d66a4f7267be67ed.txt'), write: (text) => { out += text; }, warn: (text) => { err += text; } });
    expect(err).toMatch(/^recognised: resilience matrix .*\(16 of 16 failure modes not yet rated\)$/m);
    expect(out).toMatch(/^# Imported by .*: 16 failure modes, 16 not yet rated\.$/m);
    expect(out).not.toMatch(/^\s+(severity|occurrence|detection):/m);
  });

  for (const name of Object.keys(expected)) {
    it(`fmea lint on ${name} reports the modes found and that they are unrated (exit 0)`, () => {
      let out = '';
      expect(runFmeaLint({ file: seed(name), write: (text) => { out += text; } })).toBe(0);
      expect(out).toContain(`${expected[name]} failure modes found, not yet rated`);
      expect(out).toMatch(/recognised: /);
      expect(out).not.toMatch(/no inconsistencies/);
    });
  }

  it('fmea score ranks unrated rows apart, by the document’s priority', () => {
    const { worksheet } = importWorksheet(seed('002_d66a4f7267be67ed.txt'));
    const scored = scoreWorksheet({ rows: worksheet.rows });
    expect(scored.rows).toEqual([]);
    expect(scored.unrated).toHaveLength(16);
    const order = scored.unrated.map((entry) => entry.row.priority ?? '-');
    expect(order.indexOf('P1')).toBeGreaterThan(order.lastIndexOf('P0'));
    expect(order.at(-1)).toBe('-');
    const text = formatScoredWorksheet(scored);
    expect(text).toMatch(/0 failure modes rated, 0 with evidence; 16 not yet rated/);
    expect(text).toMatch(/not yet rated \(16\)/);
    const view = buildWorksheetView(scored);
    expect(view.unrated).toHaveLength(16);
    expect(view.unrated[0]).toMatchObject({ rank: 1, priority: 'P0', id: 'postgresql-database-connection-pool-exhausted' });
  });
});
