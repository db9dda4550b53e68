import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { createRatingSet, formatScoredWorksheet, loadWorksheet, readEvidence, scoreWorksheet } from '../../../src/fmea/index.js';
import { explainDisagreement } from '../../../src/fmea/score/score-worksheet.js';

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
    // O stays the analyst's: 5 runs are fewer than the 10 an Occurrence needs.
    expect(spof.measured).toEqual({ severity: 6, occurrence: 3, detection: 2, rpn: 36, ap: 'L', band: 'acceptable', priority: 'P4' });
    expect(spof.configuration).toBe('reference orchestrator, healer on');
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
    expect(text).toContain('CORRUPTION-002: no measured ratings (analyst S 6 O 6 D 6)\n  reference orchestrator, healer on — scenario agent-window-killed: no measured ratings\n    note: Detection: no completed run in 2026-11-20T10-00-00-fixture');
    expect(text).toMatch(/1\s+SPOF-001\s+H→L\s+10→6\s+3\s+9→2\s+270→36\s+high→acceptable/);
    expect(text).toContain('    D 2 ← detection.ttd-vs-budget: D 2: the target’s own controls detected it at p95 55 ms, 0.06 × the 1000 ms budget (expect.ttdMs), in 3 of 3 runs. faultline’s probes (the test’s detection, not a control) saw it at p95 61.7 ms. [runs 3, from 2026-11-20T10-00-00-fixture, target TTD p95 55 ms, probe TTD p95 61.7 ms (the test’s), budget 1000 ms]');
    expect(text).toContain('    S 6 ← severity.probe-share: S 6: at most 67% of the steady-state probes failed.');
    expect(text).toContain('    D 10 ← detection.undetected: D 10: no control of the target detected the fault in 3 runs');
    expect(text).toContain('    note: Occurrence: insufficient evidence (5 runs; 10 needed). It failed in 1 of 5 runs (95 % CI 4 %–62 %).');
    expect(text).not.toMatch(/EXHAUSTION-003.*measured/);
  });
});

describe('measured ratings that a risk owner can sign', () => {
  const [newer] = readEvidence([fixture('run-newer')]);
  // The same scenario measured twice: healer on (the fixture) and healer off (nothing of the target detected or repaired it).
  const healerOff = structuredClone(newer!);
  healerOff.runId = 'heal-off';
  healerOff.startedAt = '2026-11-21T10:00:00.000Z';
  for (const scenario of healerOff.scenarios) {
    scenario.configuration = 'reference orchestrator, healer off';
    for (const run of scenario.runs) Object.assign(run, { recovered: false, rtoMs: null, targetDetectedMs: null, probesFailed: run.steadyStateProbes });
  }

  it('never pools healer on and off, and healer off never lowers the measured risk', () => {
    const scored = scoreWorksheet({ rows, evidence: [newer!, healerOff], now });
    const spof = scored.rows.find((entry) => entry.row.id === 'SPOF-001')!;
    expect(spof.configurations.map((group) => group.configuration)).toEqual(['reference orchestrator, healer off', 'reference orchestrator, healer on']);
    const [off, on] = spof.configurations;
    expect(off!.derived.detection).toMatchObject({ rating: 10, rule: 'detection.undetected' });
    expect(off!.derived.detection!.reason).toMatch(/no control of the target detected the fault/);
    expect(on!.derived.detection!.rating).toBe(2);
    expect(off!.measured!.rpn).toBeGreaterThanOrEqual(on!.measured!.rpn);
    expect(spof.measured).toEqual(off!.measured);
    // Each configuration's runs alone: 3 runs each, not 6 pooled.
    expect(off!.notes.find((note) => note.startsWith('Occurrence'))).toMatch(/\(3 runs; 10 needed\)/);
  });

  it('keeps the worksheet’s failure-mode text and columns: evidence never renames a row', () => {
    const renamed = structuredClone(newer!);
    renamed.scenarios[0]!.fmea = { ...renamed.scenarios[0]!.fmea!, failureMode: 'tmux server process terminated', recommendedAction: 'something else' };
    const scored = scoreWorksheet({ rows, evidence: [renamed], now });
    const spof = scored.rows.find((entry) => entry.row.id === 'SPOF-001')!;
    expect(spof.row).toMatchObject({ failureMode: 'orchestrator session terminated', recommendedAction: 'run the healer', owner: 'platform team', status: 'in-progress' });
  });

  it('says why when AP rises while RPN falls', () => {
    expect(explainDisagreement(createRatingSet(7, 5, 6), createRatingSet(9, 5, 3))).toBe('AP rises M→H while RPN falls 210→135: AP weighs Severity first, then Occurrence, then Detection (S 7→9, D 6→3).');
    expect(explainDisagreement(createRatingSet(7, 5, 6), createRatingSet(8, 5, 7))).toBeUndefined();
  });
});
