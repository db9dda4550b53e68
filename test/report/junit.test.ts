import { parse, type TestSuites } from 'junit2json';
import { describe, expect, test } from 'vitest';
import { renderJunit } from '../../src/report/junit.js';
import { createTestInput } from './helpers.js';

describe('junit.xml', () => {
  test('a JUnit parser reads one testcase per scenario with the right counts of tests, failures and errors', async () => {
    const { summary, journal } = createTestInput({ rows: 12, scenarios: 6, runsPerScenario: 3 });
    summary.scenarios[0]!.verdict = 'pass';
    summary.scenarios[0]!.checks = summary.scenarios[0]!.checks.map((check) => ({ ...check, status: 'met' }));
    summary.scenarios[1]!.verdict = 'fail';
    summary.scenarios[1]!.checks[2] = { name: 'rtoMs', expected: 'p95 ≤ 5000 ms', measured: '2 run(s) not recovered', status: 'not met' };
    summary.scenarios[2]!.verdict = 'aborted';
    summary.scenarios[2]!.runs[0] = { ...summary.scenarios[2]!.runs[0]!, status: 'aborted', reason: 'steady state not met' };
    for (const scenario of summary.scenarios.slice(3)) scenario.verdict = 'pass';

    const parsed = (await parse(renderJunit(summary, journal))) as TestSuites;
    expect(parsed).toMatchObject({ name: 'faultline', tests: 6, failures: 1, errors: 1 });
    const suite = parsed.testsuite![0]!;
    expect(suite).toMatchObject({ tests: 6, failures: 1, errors: 1, skipped: 0 });
    expect(suite.testcase).toHaveLength(6);
    const failed = suite.testcase!.filter((testcase) => testcase.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0]!.name).toBe(`${summary.scenarios[1]!.id}: ${summary.scenarios[1]!.title}`);
    // The failure text says what was expected and what was measured.
    expect(failed[0]!.failure![0]!.message).toContain('expected');
    expect(failed[0]!.failure![0]!.inner).toContain('rtoMs: expected p95 ≤ 5000 ms; measured 2 run(s) not recovered (not met)');
    const errored = suite.testcase!.filter((testcase) => testcase.error);
    expect(errored.map((testcase) => testcase.error![0]!.inner)).toEqual([expect.stringContaining('run 1 aborted: steady state not met')]);
    expect(suite.testcase![0]!['system-out']![0]).toMatch(/^run 1: completed, recovered (yes|no), TTD/);
  });

  test('hostile names and control characters come back from the parser exactly as text', async () => {
    const hostile = '<testcase name="x"/>]]>&amp;\u0000\u001b"\'';
    const { summary } = createTestInput({ rows: 2, scenarios: 1, runsPerScenario: 1, text: (kind) => `${kind} ${hostile}` });
    const parsed = (await parse(renderJunit(summary))) as TestSuites;
    const testcase = parsed.testsuite![0]!.testcase!;
    expect(testcase).toHaveLength(1);
    expect(testcase[0]!.name).toBe(`scenarioId <testcase name="x"/>]]>&amp;"': title <testcase name="x"/>]]>&amp;"'`);
  });
});
