// Switching recovery off never makes a failure mode look safer: with the healer off the target's own
// controls detect nothing, so measured D is 10, whatever faultline's probes saw.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { scoreWorksheet } from '../../../src/fmea/index.js';
import { toEvidenceReport } from '../../../src/report/evidence.js';
import { Ledger } from '../../../src/run/ledger.js';
import { runScenarios } from '../../../src/run/run-scenarios.js';
import { loadScenarios } from '../../../src/scenario/load.js';

const scenarioFile = join(import.meta.dirname, '..', '..', '..', 'scenarios', 'tmux-orchestrator', 'spof-003-config-deleted.yaml');
let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-heal-off-'));
});
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

async function runOnce(heal: boolean) {
  const scenarios = await loadScenarios([scenarioFile]);
  for (const scenario of scenarios) scenario.runs = 1;
  const outcome = await runScenarios(scenarios, { heal, gate: false, reportsDir: join(work, heal ? 'on' : 'off'), ledger: new Ledger(join(work, 'state')) });
  return outcome.summary;
}

describe('spof-003-config-deleted with the healer on and off', () => {
  test('healer off: measured D 10 with the reason, and a measured RPN no lower than with the healer on', async () => {
    const on = await runOnce(true);
    const off = await runOnce(false);
    expect(on.scenarios[0]!.configuration).toBe('reference orchestrator, healer on');
    expect(off.scenarios[0]!.configuration).toBe('reference orchestrator, healer off');
    expect(off.scenarios[0]!.runs[0]!.ttdMs).not.toBeNull();

    const score = (summaries: typeof on[]) => scoreWorksheet({ rows: [], evidence: summaries.map((summary) => toEvidenceReport(summary)) }).rows.find((entry) => entry.row.id === 'SPOF-003')!;
    const offRow = score([off]);
    const onRow = score([on]);
    expect(offRow.derived.detection).toMatchObject({ rating: 10, rule: 'detection.undetected' });
    expect(offRow.derived.detection!.reason).toMatch(/^D 10: no control of the target detected the fault in 1 run .*faultline’s probes \(the test’s detection, not a control\) saw it/);
    expect(onRow.derived.detection!.rating).toBeLessThan(10);
    expect(offRow.measured!.rpn).toBeGreaterThanOrEqual(onRow.measured!.rpn);

    // Both reports given: two configurations, side by side, never pooled.
    const both = score([on, off]);
    expect(both.configurations.map((group) => group.configuration).sort()).toEqual(['reference orchestrator, healer off', 'reference orchestrator, healer on']);
  }, 120_000);
});
