// A target nothing resets: one run that does not recover leaves it broken, and the runs after it are
// skipped (naming the culprit), not aborted; the gate then says "failed" (exit 1), not "aborted" (3).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Ledger } from '../../src/run/ledger.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { renderJunit } from '../../src/report/junit.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { rebuildSummaryFromJournal } from '../../src/report/summary-from-journal.js';
import { readJournal } from '../../src/journal/reader.js';

let work: string;
let socket: string;
const tmux = (...args: string[]) => execa('tmux', ['-S', socket, '-f', '/dev/null', ...args], { reject: false });

beforeEach(async () => {
  work = mkdtempSync(join(tmpdir(), 'faultline-skip-'));
  socket = join(work, 'tmux.sock');
  // An orchestrator faultline did not start, with nothing that heals it: a killed session stays dead.
  // "keep" holds the server up once "orc" is gone.
  await tmux('new-session', '-d', '-s', 'keep', 'sleep 600');
  await tmux('new-session', '-d', '-s', 'orc', 'sleep 600');
  writeFileSync(join(work, 'target.yaml'), `name: unhealed\ntmux: { socketPath: ${socket} }\nhome: ${work}\nroots: [${work}]\n`);
});
afterEach(async () => {
  await tmux('kill-server');
  rmSync(work, { recursive: true, force: true });
});

function writeScenario(name: string, id: string, session: string, runs: number): string {
  const file = join(work, name);
  writeFileSync(file, [
    `id: ${id}`, `title: ${id}`, 'target: target.yaml',
    `steadyState:\n  - { probe: tmux.session, session: ${session} }`,
    `fault: { type: tmux.kill-session, session: ${session} }`,
    'expect: { recovered: true }',
    `runs: ${runs}`, 'timeoutMs: 800', 'stabilizeMs: 100', 'steadyStateWaitMs: 300', '',
  ].join('\n'));
  return file;
}

describe('runs on a target an earlier run left broken', () => {
  test('are skipped with the reason, the next scenario on that target too, and --gate exits 1 (not 3)', async () => {
    const first = writeScenario('a.yaml', 'orchestrator-session-killed', 'orc', 3);
    const second = writeScenario('b.yaml', 'orchestrator-session-killed-again', 'orc', 2);
    const outcome = await runScenarios(await loadScenarios([first, second]), { heal: false, gate: true, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')) });

    const [a, b] = outcome.summary.scenarios;
    expect(a!.runs.map((run) => run.status)).toEqual(['completed', 'skipped', 'skipped']);
    expect(a!.runs[0]!.recovered).toBe(false);
    for (const run of a!.runs.slice(1)) expect(run.reason).toBe('target left broken by orchestrator-session-killed run 1');
    expect(a!.verdict).toBe('fail');
    expect(a!.reasons).toContain('runs 2–3: target left broken by orchestrator-session-killed run 1');
    expect(b!.runs.map((run) => run.status)).toEqual(['skipped', 'skipped']);
    expect(b!.verdict).toBe('skipped');
    expect(b!.reasons).toEqual(['runs 1–2: target left broken by orchestrator-session-killed run 1']);
    expect(outcome.summary.counts).toEqual({ scenarios: 2, passed: 0, failed: 1, knownGaps: 0, skipped: 1, aborted: 0, errors: 0 });
    expect(outcome.summary.verdict).toBe('fail');
    expect(outcome.exitCode).toBe(1);

    // Every output carries the reason.
    expect(renderMarkdown(outcome.summary)).toContain('target left broken by orchestrator-session-killed run 1');
    const junit = renderJunit(outcome.summary);
    expect(junit).toMatch(/<skipped message="skipped: runs 1–2: target left broken by orchestrator-session-killed run 1">/);
    expect(junit).toContain('skipped="1"');

    // A summary rebuilt from the journal alone (a killed run) tells the same.
    const rebuilt = rebuildSummaryFromJournal(await readJournal(join(outcome.runDir, 'journal.jsonl')), outcome.runDir);
    expect(rebuilt.scenarios.map((scenario) => [scenario.verdict, scenario.reasons, scenario.runs.map((run) => run.status)])).toEqual(outcome.summary.scenarios.map((scenario) => [scenario.verdict, scenario.reasons, scenario.runs.map((run) => run.status)]));
    expect(rebuilt.counts).toEqual(outcome.summary.counts);
    expect(rebuilt.scenarios[0]!.configuration).toBe(`external target unhealed (${join(work, 'target.yaml')})`);
  }, 60_000);

  test('a steady state that was never met before any fault acted still aborts (exit 3)', async () => {
    const never = writeScenario('c.yaml', 'session-never-there', 'missing', 2);
    const outcome = await runScenarios(await loadScenarios([never]), { heal: false, gate: true, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')) });
    const [scenario] = outcome.summary.scenarios;
    expect(scenario!.runs.map((run) => run.status)).toEqual(['aborted']);
    expect(scenario!.verdict).toBe('aborted');
    expect(scenario!.reasons[0]).toMatch(/^run 1: steady state not met/);
    expect(outcome.exitCode).toBe(3);
  }, 60_000);
});
