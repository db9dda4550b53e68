import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { readRunDir } from '../../src/report/read-run-dir.js';
import { runReportCommand } from '../../src/report/render-runs.js';
import { createTestInput } from './helpers.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-report-test-'));
});
afterEach(() => {
  vi.restoreAllMocks();
  rmSync(work, { recursive: true, force: true });
});

// A run folder with summary.json and journal.jsonl, started `day` days into November.
function writeRunDir(runId: string, day: number): string {
  const { summary, journal } = createTestInput({ rows: 6, scenarios: 3, runsPerScenario: 2 });
  summary.runId = runId;
  summary.startedAt = new Date(Date.UTC(2026, 10, day, 10)).toISOString();
  for (const scenario of summary.scenarios) if (scenario.stats.rtoMs) scenario.stats.rtoMs.p95 = 1000 * day;
  const dir = join(work, 'reports', runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  writeFileSync(join(dir, 'journal.jsonl'), journal.map((event) => JSON.stringify(event)).join('\n'));
  return dir;
}

// The journal of a run killed during its second run: no scenario.end, no run.end, no summary.json.
function writeInterruptedRunDir(): string {
  const dir = join(work, 'reports', 'interrupted');
  mkdirSync(dir, { recursive: true });
  const t = Date.UTC(2026, 10, 20, 10);
  const run = { status: 'completed', recovered: true, detected: true, ttdMs: 40, rtoMs: 900, resolutionMs: 120, timeoutMs: 5000, detectedBy: 'tmux.session tmux-orc', t0: t + 500, steadyStateProbes: 2, probesFailed: 1, dataLoss: null, rollback: { ok: true, detail: 'nothing to undo' } };
  const events = [
    { t, type: 'run.start', runId: 'interrupted-run', faultline: '0.1.0', options: { heal: true, gate: true } },
    { t: t + 1, type: 'scenario.start', scenario: 'kill-session', title: 'Session killed', file: 'scenarios/kill.yaml', fault: { type: 'tmux.kill-session' }, runs: 3 },
    { t: t + 900, type: 'target.signal', scenario: 'kill-session', run: 1, offsetMs: 300, event: 'repair', component: 'healer' },
    { t: t + 1000, type: 'run.result', scenario: 'kill-session', run: 1, index: 1, ...run },
    { t: t + 1100, type: 'note', scenario: 'kill-session', run: 2, message: 'restarting the reference target' },
  ];
  writeFileSync(join(dir, 'journal.jsonl'), `${events.map((event) => JSON.stringify(event)).join('\n')}\n{"t":17953`);
  return dir;
}

describe('faultline report', () => {
  test('several runs render the newest one with a trend of RTO p95 across all of them', async () => {
    const older = writeRunDir('run-a', 1);
    const newer = writeRunDir('run-b', 3);
    const out = join(work, 'out');
    const stepSummary = join(work, 'step-summary.md');
    const lines: string[] = [];
    const code = await runReportCommand({ runDirs: [newer, older], out, stepSummary, write: (text) => lines.push(text) });

    expect(code).toBe(0);
    expect(lines.join('')).toContain('Report of 2 runs');
    for (const file of ['index.html', 'junit.xml', 'summary.md', 'summary.json']) expect(existsSync(join(out, file)), file).toBe(true);
    const html = readFileSync(join(out, 'index.html'), 'utf8');
    expect(html).toContain('<section id="trend">');
    expect(html).toMatch(/<figure class="chart"><svg role="img" focusable="false" aria-label="RTO p95 per scenario across runs, one small chart per scenario/);
    expect(html).toContain('Resilience assessment <span class="run-id">run-b</span>');
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')).runId).toBe('run-b');
    expect(readFileSync(stepSummary, 'utf8')).toContain('faultline: FAIL');
  });

  test('a single run has no trend section', async () => {
    const dir = writeRunDir('run-solo', 2);
    await runReportCommand({ runDirs: [dir], stepSummary: null, write: () => {} });
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).not.toContain('id="trend"');
    expect(html).toContain('<section id="timelines">');
  });

  test('a run killed before summary.json is rebuilt from its journal, with a note saying so', async () => {
    const dir = writeInterruptedRunDir();
    const { summary, notes } = await readRunDir(dir);
    expect(summary).toMatchObject({ runId: 'interrupted-run', verdict: 'aborted', options: { heal: true, gate: true } });
    expect(summary.scenarios[0]).toMatchObject({ id: 'kill-session', title: 'Session killed', stats: { recovered: 1, completed: 1 } });
    expect(summary.scenarios[0]!.runs[0]!.targetSignals).toEqual([{ t: expect.any(Number), offsetMs: 300, event: 'repair', component: 'healer' }]);
    expect(notes[0]).toContain('rebuilt from journal.jsonl');

    await runReportCommand({ runDirs: [dir], stepSummary: null, write: () => {} });
    const html = readFileSync(join(dir, 'index.html'), 'utf8');
    expect(html).toContain('restarting the reference target');
    expect(html).toContain('rebuilt from journal.jsonl');
  });

  test('a folder that is not a run exits 2 with a hint', async () => {
    const stderr: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      stderr.push(String(chunk));
      return true;
    });
    const before = process.exitCode;
    try {
      mkdirSync(join(work, 'empty'));
      await main(['report', join(work, 'empty')]);
      expect(process.exitCode).toBe(2);
    } finally {
      process.exitCode = before;
    }
    expect(stderr.join('')).toContain('no summary.json or journal.jsonl here');
  });
});
