import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { formatScoredWorksheet, loadWorksheet, readEvidence, scoreWorksheet } from '../../../src/fmea/index.js';

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
const now = new Date('2026-11-22T00:00:00Z');
const rows = loadWorksheet(fixture('worksheet.yaml')).worksheet.rows;
const evidence = readEvidence([fixture('run-older'), fixture('run-newer')]);

describe('scoreWorksheet', () => {
  const scored = scoreWorksheet({ rows, evidence, now });
  const byId = (id: string) => scored.rows.find((entry) => entry.row.id === id)!;

  it('adds experimented failure modes the worksheet lacks and ranks by AP, S, RPN', () => {
    expect(scored.rows.map((entry) => [entry.rank, entry.row.id, entry.analyst.ap, entry.analyst.severity, entry.analyst.rpn])).toEqual([
      [1, 'SPOF-001', 'H', 10, 270],
      [2, 'CORRUPTION-001', 'H', 8, 448],
      [3, 'EXHAUSTION-003', 'H', 8, 384],
      [4, 'CORRUPTION-002', 'M', 6, 216],
    ]);
    expect(scored.evidence.map((report) => report.runId)).toEqual(['2026-11-20T10-00-00-fixture', '2026-10-01T09-00-00-fixture']);
  });

  it('puts measured ratings beside the analyst ratings, never in their place', () => {
    const spof = byId('SPOF-001');
    expect(spof.analyst).toEqual({ severity: 10, occurrence: 3, detection: 9, rpn: 270, ap: 'H', band: 'high', priority: 'P2' });
    expect(spof.measured).toEqual({ severity: 6, occurrence: 4, detection: 2, rpn: 48, ap: 'L', band: 'acceptable', priority: 'P4' });
    expect(spof.row.owner).toBe('platform team');
    expect(spof.revised).toMatchObject({ detection: 3, rpn: 90 });
    expect(byId('EXHAUSTION-003').measured).toBeNull();
  });

  it('ranks by measured ratings when asked', () => {
    const measured = scoreWorksheet({ rows, evidence, now, rankBy: 'measured' });
    expect(measured.rows.map((entry) => entry.row.id)).toEqual(['CORRUPTION-001', 'EXHAUSTION-003', 'CORRUPTION-002', 'SPOF-001']);
  });

  it('prints analyst→measured cells and, per experimented row, the rule and evidence of each measured rating', () => {
    const text = formatScoredWorksheet(scored, { source: 'worksheet.yaml' });
    expect(text).toContain('FMEA worksheet.yaml: 4 failure modes, 3 with evidence');
    expect(text).toContain('CORRUPTION-002 — scenario agent-window-killed: no measured ratings (analyst S 6 O 6 D 6)\n  note: detection: no completed run in 2026-11-20T10-00-00-fixture');
    expect(text).toMatch(/1\s+SPOF-001\s+H→L\s+10→6\s+3→4\s+9→2\s+270→48\s+high→acceptable/);
    expect(text).toContain('  D 2 ← detection.ttd-vs-budget: TTD p95 61.7 ms is 0.06 × the 1000 ms budget (expect.ttdMs) → D 2; 3 of 3 runs detected [runs 3, from 2026-11-20T10-00-00-fixture, TTD p95 61.7 ms, budget 1000 ms]');
    expect(text).toContain('  S 6 ← severity.probe-share: at most 67% of steady-state probes failed → S 6');
    expect(text).toContain('  D 10 ← detection.undetected: no probe noticed the fault in any of 3 runs → D 10');
    expect(text).not.toMatch(/EXHAUSTION-003.*measured/);
  });
});
