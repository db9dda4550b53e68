// The run's verdict and exit code (DESIGN §6): residue (a rollback or a target stop that failed) beats everything.
import { describe, expect, test } from 'vitest';
import type { ScenarioSummary } from '../../src/analyse/summary-schema.js';
import { getRunVerdict } from '../../src/run/verdict.js';

const scenario = (verdict: ScenarioSummary['verdict'], rollbackOk = true) => ({ verdict, runs: [{ rollback: { ok: rollbackOk, detail: '' } }] }) as unknown as ScenarioSummary;

describe('getRunVerdict', () => {
  test('pass, gate failure (exit 1 only with --gate), abort (3), rollback failure (4)', () => {
    expect(getRunVerdict([scenario('pass')], { gate: true, interrupted: false })).toEqual({ verdict: 'pass', exitCode: 0 });
    expect(getRunVerdict([scenario('fail')], { gate: false, interrupted: false })).toEqual({ verdict: 'fail', exitCode: 0 });
    expect(getRunVerdict([scenario('fail')], { gate: true, interrupted: false })).toEqual({ verdict: 'fail', exitCode: 1 });
    expect(getRunVerdict([scenario('pass')], { gate: true, interrupted: true })).toEqual({ verdict: 'aborted', exitCode: 3 });
    expect(getRunVerdict([scenario('fail', false)], { gate: true, interrupted: true })).toEqual({ verdict: 'rollback-failed', exitCode: 4 });
  });

  test('a target faultline could not stop is residue: exit 4 even when every scenario passed', () => {
    expect(getRunVerdict([scenario('pass')], { gate: false, interrupted: false, targetLeft: true })).toEqual({ verdict: 'rollback-failed', exitCode: 4 });
  });
});
