import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { formatLintResult, lintDocument, resolveFmeaConfig } from '../../../src/fmea/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const summarize = (file: string) => lintDocument(fixture(file)).findings.map((finding) => `${finding.lines[0]} ${finding.severity} ${finding.rule} ${finding.ids.join(',')}`);

describe('lintDocument on Markdown', () => {
  it('finds every planted inconsistency and nothing else', () => {
    expect(summarize('inconsistent.md')).toEqual([
      '3 error count ',
      '16 error scale-label FM-002',
      '18 error rpn-mismatch FM-002',
      '24 error priority-level FM-001',
      '25 error priority-level FM-003',
      '25 error rpn-mismatch FM-003',
      '26 error risk-level FM-004',
      '29 error priority-total ',
      '30 error priority-count ',
      '42 error total-rpn ',
    ]);
  });

  it('explains each finding with the figures involved', () => {
    const messages = lintDocument(fixture('inconsistent.md')).findings.map((finding) => finding.message);
    expect(messages).toContain('FM-003: RPN 200 ≠ S × O × D = 6 × 6 × 6 = 216');
    expect(messages).toContain('FM-002: RPN 100 is not S × 3 × 8 for any Severity from 1 to 10 (it would be 4.17)');
    expect(messages).toContain('FM-004: Risk Level HIGH, but RPN 24 is "acceptable" (<50) by the configured bands');
    expect(messages).toContain('P1: Total RPN 300, but the 1 failure mode listed (line 32) sums to 200');
    expect(messages).toContain('"5 failure modes", but the document has 4 failure-mode ids (3 in the table)');
    expect(messages).toContain('Total RPN 500, but the table\'s RPN column (lines 24–26) sums to 364; the 4 rated failure modes sum to 464');
  });

  it('passes a consistent document', () => {
    const result = lintDocument(fixture('consistent.md'));
    expect(result.findings).toEqual([]);
    expect(formatLintResult(result)).toMatch(/✓ .*consistent\.md: no inconsistencies \(read 2 table rows and 0 rated sections\)/);
  });

  it('checks a stated AP against the AIAG-VDA table', () => {
    const text = '| ID | Failure Mode | S | O | D | AP |\n|---|---|---|---|---|---|\n| A-1 | x | 9 | 2 | 7 | L |\n';
    const findings = lintDocument(readDocument('ap.md', text)).findings;
    expect(findings.map((finding) => [finding.rule, finding.lines])).toEqual([['ap-mismatch', [3]]]);
  });

  it('uses configured bands when the document defines none', () => {
    const text = '| ID | Failure Mode | S | O | D | Risk Level |\n|---|---|---|---|---|---|\n| A-1 | x | 5 | 5 | 5 | red |\n';
    const config = resolveFmeaConfig({ bands: [{ name: 'red', min: 100, max: 1000 }, { name: 'green', min: 1, max: 99 }] });
    expect(lintDocument(readDocument('bands.md', text), config).findings).toEqual([]);
    expect(lintDocument(readDocument('bands.md', text)).findings.map((finding) => finding.rule)).toEqual(['unknown-risk-level']);
  });
});

describe('lintDocument on worksheets', () => {
  it('checks RPN and configured priority buckets in CSV, naming the record line', () => {
    expect(summarize('worksheet.csv')).toEqual(['4 error rpn-mismatch EXHAUSTION-003']);
  });

  it('passes a valid YAML worksheet', () => {
    expect(summarize('worksheet.yaml')).toEqual([]);
  });

  it('reports a YAML row whose RPN and priority contradict its ratings', () => {
    const text = 'rows:\n  - id: A-1\n    failureMode: x\n    severity: 5\n    occurrence: 5\n    detection: 5\n    rpn: 120\n    priority: P1\n';
    const findings = lintDocument(readDocument('w.yaml', text)).findings;
    expect(findings.map((finding) => `${finding.lines[0]} ${finding.rule}`)).toEqual(['2 priority-bucket', '2 rpn-mismatch']);
  });
});

import { readFmeaDocument } from '../../../src/fmea/index.js';
function readDocument(name: string, text: string) {
  return readFmeaDocument(name, text);
}
