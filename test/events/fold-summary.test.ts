// Journal, summary and history agree: the summary a run writes is the fold of its events, and the same
// fold of a killed run's journal gives the summary the live run would have written at that moment.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SummarySchema, type Summary } from '../../src/analyse/summary-schema.js';
import { foldRunEvents, SummaryFold } from '../../src/events/fold-summary.js';
import { readJournal } from '../../src/journal/reader.js';
import { readRunDir } from '../../src/report/read-run-dir.js';
import { Ledger } from '../../src/run/ledger.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';
import type { JournalEvent } from '../../src/journal/events.js';
import { createCrashWorkspace, waitForExit } from '../helpers/crash-harness.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'run');
const validate = new Ajv({ strict: false }).addFormat('date-time', true).compile(SummarySchema);
const plain = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

let work: string;
let live: Summary;
let journal: JournalEvent[];
// What the live run's own fold said right after each event (what it would have written had it been killed then).
const liveAfter: Summary[] = [];

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), `faultline-fold-${process.pid}-`));
  const scenarios = await loadScenarios([join(fixtures, 'kill-session.yaml'), join(fixtures, 'corrupt-config.yaml')]);
  const watcher = new SummaryFold();
  const outcome = await runScenarios(scenarios, {
    heal: true, gate: true, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')),
    listeners: [(event) => { watcher.onEvent(event); liveAfter.push(plain(watcher.getSummary())); }],
  });
  live = plain(outcome.summary);
  journal = await readJournal(join(outcome.runDir, 'journal.jsonl'));
}, 120_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the summary folded from the events', () => {
  test('a finished run: the fold of its journal is its summary, field for field', () => {
    expect(live.scenarios.map((scenario) => scenario.verdict)).toEqual(['pass', 'pass']);
    expect(validate(live), JSON.stringify(validate.errors)).toBe(true);
    expect(plain(foldRunEvents(journal))).toEqual(live);
  });

  test('a journal cut after any event (a kill at that moment) folds to what the live run held then', () => {
    expect(liveAfter).toHaveLength(journal.length);
    for (let end = 1; end <= journal.length; end += 1) {
      const rebuilt = plain(foldRunEvents(journal.slice(0, end)));
      expect(rebuilt, `cut after event ${end} (${journal[end - 1]!.type})`).toEqual(liveAfter[end - 1]);
      if (end < journal.length) expect([rebuilt.verdict, rebuilt.exitCode]).not.toEqual(['pass', 0]);
    }
  });

  test('cut after the first scenario ended: that scenario is exactly the live one, the run aborted (exit 3)', () => {
    const end = journal.findIndex((event) => event.type === 'scenario.end') + 1;
    const rebuilt = plain(foldRunEvents(journal.slice(0, end)));
    expect(rebuilt.scenarios[0]).toEqual(live.scenarios[0]);
    expect(rebuilt.scenarios).toHaveLength(1);
    expect(rebuilt).toMatchObject({ verdict: 'aborted', exitCode: 3, runId: live.runId, startedAt: live.startedAt, environment: { host: live.environment.host } });
    expect(validate(rebuilt), JSON.stringify(validate.errors)).toBe(true);
  });

  test('a torn last line is ignored', async () => {
    const file = join(work, 'torn.jsonl');
    const lines = readFileSync(join(work, 'reports', live.runId, 'journal.jsonl'), 'utf8').split('\n').filter(Boolean);
    writeFileSync(file, `${lines.slice(0, 10).join('\n')}\n${lines[10]!.slice(0, 20)}`);
    expect(plain(foldRunEvents(await readJournal(file)))).toEqual(liveAfter[9]);
  });
});

describe('a runner killed with SIGKILL', () => {
  test('its journal folds to a valid summary: the repetition it died in is aborted after its fault acted, exit 3', async () => {
    const workspace = await createCrashWorkspace({ heal: false });
    try {
      const scenario = workspace.writeScenario('corrupt.yaml', readFileSync(join(fixtures, 'corrupt-config.yaml'), 'utf8'));
      const child = await workspace.startRunUntilInjected(scenario);
      child.kill('SIGKILL');
      await waitForExit(child);
      const run = await readRunDir(join(workspace.reportsDir, (await import('node:fs')).readdirSync(workspace.reportsDir).filter((name) => /^\d{8}-/.test(name))[0]!));
      expect(run.notes.join()).toMatch(/rebuilt from journal\.jsonl/);
      const summary = plain(run.summary);
      expect(validate(summary), JSON.stringify(validate.errors)).toBe(true);
      expect(summary).toMatchObject({ verdict: 'aborted', exitCode: 3 });
      const [folded] = summary.scenarios;
      // Unlike an older journal's rebuild, the FMEA row and expectations are there (the scenario.start event carries them).
      expect(folded).toMatchObject({ id: 'e2e-corrupt-config', title: 'Config corrupted (end-to-end test)', steadyStateProbes: 1, fault: { type: 'config.corrupt', mode: 'syntax' } });
      expect(folded!.runs.at(-1)).toMatchObject({ status: 'aborted', rollback: null, reason: expect.stringMatching(/^killed: .*after its fault acted/) });
      expect(typeof folded!.runs.at(-1)!.t0).toBe('number');
      expect(folded!.verdict).toBe('aborted');
      expect((await workspace.faultline(['recover'])).exitCode).toBe(0);
    } finally {
      await workspace.dispose();
    }
  }, 90_000);
});
