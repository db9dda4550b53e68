import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { readFmeaDocument } from '../../../src/fmea/index.js';
import { parseRpnRange } from '../../../src/fmea/document/band-statements.js';
import { readMarkdownLines } from '../../../src/fmea/document/markdown-lines.js';
import { extractMarkdownTables, splitCells } from '../../../src/fmea/document/markdown-tables.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

describe('Markdown tables', () => {
  it('finds pipe tables outside code fences with the line of every row', () => {
    const text = ['intro', '```', '| a | b |', '|---|---|', '| 1 | 2 |', '```', '', '| ID | RPN |', '|:---|---:|', '| X-1 | 12 |', '| X-2 | 3 |', 'after'].join('\n');
    const tables = extractMarkdownTables(readMarkdownLines(text));
    expect(tables).toEqual([{ line: 8, headers: ['ID', 'RPN'], rows: [{ line: 10, cells: ['X-1', '12'] }, { line: 11, cells: ['X-2', '3'] }] }]);
  });

  it('splits cells on unescaped pipes only', () => {
    expect(splitCells('| a \\| b | c |')).toEqual(['a | b', 'c']);
  });
});

describe('readFmeaDocument', () => {
  it('reads table rows, rated sections, priority groups and stated figures of a Markdown FMEA', () => {
    const document = readFmeaDocument(fixture('inconsistent.md'));
    expect(document.tables.map((entry) => [entry.id, entry.line, entry.rpn, entry.riskLevel, entry.priority])).toEqual([
      ['FM-001', 24, 140, 'MODERATE', 'P2'], ['FM-003', 25, 200, 'HIGH', 'P1'], ['FM-004', 26, 24, 'HIGH', 'P2'],
    ]);
    expect(document.sections.map((section) => [section.id, section.severity?.value, section.occurrence?.value, section.detection?.value, section.rpn?.value]))
      .toEqual([['FM-001', 7, 4, 5, 140], ['FM-002', undefined, 3, 8, 100]]);
    expect(document.sections[1]!.labels).toEqual([
      { dimension: 'occurrence', word: 'Medium', value: 3, line: 16 },
      { dimension: 'detection', word: 'Low', value: 8, line: 17 },
    ]);
    expect(document.priorityGroups.map((group) => [group.name, group.label, group.statedTotal?.value, group.statedCount?.value, group.items.map((item) => item.id)]))
      .toEqual([['P1', 'Critical', 300, 2, ['FM-003']], ['P2', 'High', 164, undefined, ['FM-001', 'FM-004']]]);
    expect(document.totalRpn).toEqual([{ value: 500, line: 42 }]);
    expect(document.counts).toEqual([{ count: 5, phrase: '5 failure modes', line: 3, subject: { kind: 'total' } }]);
    expect(document.scales.occurrence?.[1]).toEqual({ min: 3, max: 4, label: 'Low probability', line: 7 });
  });

  it('names file and line of a rating cell that is not a number', () => {
    expect(() => readFmeaDocument(fixture('bad-table.md'))).toThrow(/bad-table\.md:6 severity: expected an integer from 1 to 10; got "ten"/);
  });

  it('names file and line of a table row with a missing cell', () => {
    const text = '| ID | Severity | Occurrence | Detection |\n|---|---|---|---|\n| A-1 | 5 | 5 |\n';
    expect(() => readFmeaDocument('short.md', text)).toThrow(/short\.md:3 table row has 3 cells; its header \(line 1\) has 4/);
  });
});

describe('parseRpnRange', () => {
  it('reads the range forms FMEA documents use', () => {
    expect(parseRpnRange('>300')).toEqual({ min: 301, max: 1000 });
    expect(parseRpnRange('200-300')).toEqual({ min: 200, max: 300 });
    expect(parseRpnRange('200–512')).toEqual({ min: 200, max: 512 });
    expect(parseRpnRange('<50')).toEqual({ min: 1, max: 49 });
    expect(parseRpnRange('≥ 1,000')).toEqual({ min: 1000, max: 1000 });
    expect(parseRpnRange('high')).toBeUndefined();
  });
});
