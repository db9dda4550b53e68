import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { InputError } from '../../../src/errors.js';
import { loadWorksheet, mergeRows } from '../../../src/fmea/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));

function captureError(run: () => unknown): InputError {
  try {
    run();
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error('expected an InputError');
}

describe('loadWorksheet', () => {
  it('reads a YAML worksheet with the line of each row', () => {
    const { worksheet, rowLines } = loadWorksheet(fixture('worksheet.yaml'));
    expect(worksheet.rows.map((row) => row.id)).toEqual(['SPOF-001', 'CORRUPTION-001', 'EXHAUSTION-003']);
    expect(rowLines).toEqual([5, 15, 20]);
    expect(worksheet.rows[0]!.revised).toEqual({ detection: 3 });
  });

  it('accepts a bare list of rows', () => {
    const { worksheet } = loadWorksheet('inline.yaml', '- id: A-1\n  failureMode: x\n  severity: 1\n  occurrence: 2\n  detection: 3\n');
    expect(worksheet.rows).toHaveLength(1);
  });

  it('names file, line and field of a rating out of range', () => {
    const error = captureError(() => loadWorksheet(fixture('bad-range.yaml')));
    expect(error.message).toMatch(/bad-range\.yaml:9:\d+ rows\.1\.severity: expected a number ≤ 10; got 11/);
    expect(error.exitCode).toBe(2);
  });

  it('names file, line and column of a YAML syntax error', () => {
    const error = captureError(() => loadWorksheet(fixture('bad-syntax.yaml')));
    expect(error.message).toMatch(/bad-syntax\.yaml:\d+:\d+ invalid YAML/);
  });

  it('reads CSV with a quoted field that spans lines and keeps record lines', () => {
    const { worksheet, rowLines } = loadWorksheet(fixture('worksheet.csv'));
    expect(worksheet.rows.map((row) => row.id)).toEqual(['SPOF-001', 'EXHAUSTION-003']);
    expect(worksheet.rows[0]!.effect).toBe('check-ins lost,\nmessages lost');
    expect(rowLines).toEqual([2, 4]);
  });

  it('names the CSV line of a rating that is not a number', () => {
    const error = captureError(() => loadWorksheet(fixture('bad-row.csv')));
    expect(error.message).toMatch(/bad-row\.csv:3:3 rows\.1\.severity: expected an integer; got "high"/);
  });

  it('reports an unreadable file as input error', () => {
    const error = captureError(() => loadWorksheet(fixture('does-not-exist.yaml')));
    expect(error.message).toMatch(/does-not-exist\.yaml: cannot read/);
  });
});

describe('mergeRows', () => {
  const worksheetRow = { id: 'SPOF-001', failureMode: 'session killed', severity: 10, occurrence: 3, detection: 8, owner: 'ops', rpn: 240 };
  const experimentRow = { id: 'SPOF-001', failureMode: 'orchestrator session terminated', severity: 10, occurrence: 3, detection: 9, scenario: 'kill-session' };

  it('keeps the experiment ratings and the worksheet’s words (never renaming the row), and reports the difference', () => {
    const { rows, conflicts } = mergeRows([worksheetRow], [experimentRow]);
    expect(rows).toEqual([{ id: 'SPOF-001', failureMode: 'session killed', severity: 10, occurrence: 3, detection: 9, owner: 'ops', scenario: 'kill-session' }]);
    expect(conflicts.map((conflict) => conflict.fields)).toEqual([['detection']]);
  });

  it('adds experiment rows with no worksheet row and keeps worksheet rows with no experiment', () => {
    const { rows, conflicts } = mergeRows([{ ...worksheetRow, id: 'OTHER-1' }], [experimentRow]);
    expect(rows.map((row) => row.id)).toEqual(['OTHER-1', 'SPOF-001']);
    expect(conflicts).toEqual([]);
  });
});
