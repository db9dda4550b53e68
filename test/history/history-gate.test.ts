// End to end: five real runs on the reference orchestrator are indexed; `history --json` lists them; a
// sixth run whose healer waits (--heal-delay-ms) fails `--gate --baseline 5` with exit 1, naming the scenario.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FIXTURES, runFaultline } from './cli-helper.js';

let work: string;
beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-history-gate-'));
  copyFileSync(join(FIXTURES, 'quick-window-kill.yaml'), join(work, 'quick.yaml'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Listed { runId: string; kind: string; exitCode: number | null; healDelayMs: number | null; scenarios: { id: string; rtoP95Ms: number | null; configuration: string }[] }

describe('history and the baseline gate', () => {
  test('five runs are listed by `history --json`; a 10× slower healer fails --gate --baseline 5 with exit 1 naming the scenario', async () => {
    // The first run has nothing to compare with ("no baseline": exit 0). The next four run without the
    // baseline gate: on a loaded host a ~0.1 s RTO can double from one run to the next.
    for (let index = 0; index < 5; index += 1) {
      const result = await runFaultline(work, ['run', 'quick.yaml', '--gate', ...(index === 0 ? ['--baseline', '5'] : []), '-q']);
      expect(result.code, result.stderr).toBe(0);
      if (index === 0) expect(result.stdout).toMatch(/no baseline quick-window-kill: no earlier result/);
    }
    const listed = await runFaultline(work, ['history', '--json']);
    expect(listed.code, listed.stderr).toBe(0);
    const history = JSON.parse(listed.stdout) as { history: string; runs: Listed[] };
    expect(history.history).toBe(join(work, 'reports', 'history.db'));
    expect(history.runs).toHaveLength(5);
    expect(history.runs.every((run) => run.kind === 'run' && run.scenarios[0]?.id === 'quick-window-kill')).toBe(true);
    const baseline = history.runs.map((run) => run.scenarios[0]!.rtoP95Ms!).sort((a, b) => a - b);
    const median = baseline[2]!;

    // The healer waits 3 s before each repair: the RTO rises from ~0.1 s to over 3 s.
    const slow = await runFaultline(work, ['run', 'quick.yaml', '--gate', '--baseline', '5', '--heal-delay-ms', '3000', '--json']);
    expect(slow.code, slow.stderr).toBe(1);
    const summary = JSON.parse(slow.stdout) as { verdict: string; exitCode: number; report: { summary: string }; scenarios: { stats: { rtoMs: { p95: number } } }[]; baseline: { scenario: string; status: string; kind?: string; message: string; baselineRuns: string[] }[] };
    // The absolute target (10 s) is still met: only the regression fails the gate.
    expect(summary.verdict).toBe('pass');
    // …and summary.json says so: it carries the exit code the process ended with, not the run's 0.
    expect(summary.exitCode).toBe(1);
    expect((JSON.parse(readFileSync(summary.report.summary, 'utf8')) as { exitCode: number }).exitCode).toBe(1);
    expect(summary.scenarios[0]!.stats.rtoMs.p95).toBeGreaterThan(10 * median);
    expect(summary.baseline).toHaveLength(1);
    expect(summary.baseline[0]).toMatchObject({ scenario: 'quick-window-kill', status: 'regressed', kind: 'rto' });
    expect(summary.baseline[0]!.baselineRuns.sort()).toEqual(history.runs.map((run) => run.runId).sort());
    // The table form names the scenario on stdout too.
    const again = await runFaultline(work, ['run', 'quick.yaml', '--gate', '--baseline', '5', '--heal-delay-ms', '3000', '-q']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/REGRESSED quick-window-kill: RTO p95 .* exceeds the median of its last 5 results/);
    expect(again.stdout).toContain('GATE FAILED');

    // Both slow runs are in the history too, and a rebuild from the folders finds the same seven.
    const after = JSON.parse((await runFaultline(work, ['history', '--json', '--scenario', 'quick-window-kill'])).stdout) as { runs: Listed[] };
    expect(after.runs).toHaveLength(7);
    expect(after.runs[0]!.healDelayMs).toBe(3000);
    expect(after.runs.map((run) => run.exitCode)).toEqual([1, 1, 0, 0, 0, 0, 0]);
    rmSync(join(work, 'reports', 'history.db'));
    const rebuilt = await runFaultline(work, ['history', 'rebuild']);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain('Indexed 7 runs');
    const relisted = JSON.parse((await runFaultline(work, ['history', '--json'])).stdout) as { runs: Listed[] };
    expect(relisted.runs.map((run) => run.runId)).toEqual(after.runs.map((run) => run.runId));
    expect(relisted.runs.map((run) => run.exitCode)).toEqual([1, 1, 0, 0, 0, 0, 0]);
    expect(existsSync(join(work, 'reports', 'history.db'))).toBe(true);
  }, 300_000);
});
