import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv } from 'ajv';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { SummarySchema } from '../../src/analyse/summary-schema.js';
import { Ledger } from '../../src/run/ledger.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { readJournal } from '../../src/journal/reader.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'run');
let work: string;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-run-test-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function getTargetDirs(summaryTargets: Record<string, unknown>[]): string[] {
  return summaryTargets.map((target) => String(target.home ?? target.dir));
}

describe('runScenarios against the reference orchestrator', () => {
  test('with the healer on, every run recovers with a numeric RTO and the summary matches its schema', async () => {
    const scenarios = await loadScenarios([join(fixtures, 'kill-session.yaml')]);
    const ledger = new Ledger(join(work, 'state'));
    const outcome = await runScenarios(scenarios, { heal: true, gate: true, reportsDir: join(work, 'reports'), ledger });

    const [scenario] = outcome.summary.scenarios;
    expect(scenario!.runs).toHaveLength(2);
    for (const run of scenario!.runs) {
      expect(run.status).toBe('completed');
      expect(run.recovered).toBe(true);
      expect(run.rtoMs).toBeGreaterThan(0);
      expect(run.rtoMs).toBeLessThan(3000);
      expect(run.rollback).toEqual({ ok: true, detail: expect.any(String) });
      // The healer's own detection and repair are recorded beside faultline's figures.
      expect(run.targetSignals.some((signal) => signal.event === 'repair')).toBe(true);
    }
    expect(scenario!.fmea).toMatchObject({ id: 'SPOF-001', rpn: 270, ap: 'H' });
    expect(outcome.exitCode).toBe(0);

    const validate = new Ajv({ strict: false }).addFormat('date-time', true).compile(SummarySchema);
    expect(validate(JSON.parse(JSON.stringify(outcome.summary))), JSON.stringify(validate.errors)).toBe(true);

    const events = await readJournal(join(outcome.runDir, 'journal.jsonl'));
    const types = events.map((event) => event.type);
    for (const type of ['run.start', 'steady-state', 'fault.inject', 'recover', 'fault.rollback', 'run.end']) expect(types).toContain(type);
    expect(ledger.list()).toEqual([]);
    for (const dir of getTargetDirs(outcome.summary.targets)) expect(existsSync(dir)).toBe(false);
  });

  test('with the healer off, the run is not recovered, rtoMs is null and the gate exits 1; the config is restored', async () => {
    const scenarios = await loadScenarios([join(fixtures, 'corrupt-config.yaml')]);
    const ledger = new Ledger(join(work, 'state'));
    const outcome = await runScenarios(scenarios, { heal: false, gate: true, reportsDir: join(work, 'reports'), ledger });

    const run = outcome.summary.scenarios[0]!.runs[0]!;
    expect(run).toMatchObject({ status: 'completed', recovered: false, rtoMs: null, detected: true });
    expect(run.rollback?.ok).toBe(true);
    expect(outcome.summary.scenarios[0]!.verdict).toBe('fail');
    expect(outcome.exitCode).toBe(1);
    expect(ledger.list()).toEqual([]);
    const journal = readFileSync(join(outcome.runDir, 'journal.jsonl'), 'utf8');
    expect(journal).toContain('"type":"timeout"');
  });

  test('a run refuses to start while the ledger holds an open intent', async () => {
    const scenarios = await loadScenarios([join(fixtures, 'corrupt-config.yaml')]);
    const ledger = new Ledger(join(work, 'state'));
    ledger.open({ id: 'left-over', kind: 'target', createdAt: new Date().toISOString(), pid: 1, runId: 'x', target: { driver: 'reference', dir: join(work, 'gone') } });
    await expect(runScenarios(scenarios, { heal: true, gate: false, reportsDir: join(work, 'reports'), ledger })).rejects.toThrow(/never rolled back/);
  });
});
