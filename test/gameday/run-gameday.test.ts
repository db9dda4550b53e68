// A game day started outside its plan's window runs nothing and is recorded as skipped (exit 0);
// --ignore-window (ignoreWindow) runs it anyway.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { loadPlan } from '../../src/gameday/load-plan.js';
import { runGameDay } from '../../src/gameday/run-gameday.js';
import { readJournal } from '../../src/journal/reader.js';
import { Ledger } from '../../src/run/ledger.js';

const pack = fileURLToPath(new URL('../../scenarios/tmux-orchestrator/', import.meta.url));
const work = mkdtempSync(join(tmpdir(), `faultline-gameday-window-${process.pid}-`));
process.env.FAULTLINE_CONTROL_DIR = join(work, 'control');
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the allowed window', () => {
  test('outside it nothing runs: a gameday.skipped event with the reason, no scenario, exit 0', async () => {
    copyFileSync(join(pack, 'corruption-002-agent-window-killed.yaml'), join(work, 'agent.yaml'));
    writeFileSync(join(work, 'plan.yaml'), 'kind: gameday\ntitle: Weekdays only\nobjective: o\nsteps:\n  - scenario: agent.yaml\nwindow:\n  days: [mon, tue, wed, thu, fri]\n  hours: { from: "09:00", to: "17:00" }\n  timezone: Europe/Berlin\n');
    const loaded = await loadPlan(join(work, 'plan.yaml'));
    // Saturday 5 December 2026, noon in Berlin.
    const outcome = await runGameDay(loaded, { heal: true, gate: true, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')), now: new Date('2026-12-05T11:00:00Z') });
    expect(outcome.skipped).toBe("started outside the plan's window (mon,tue,wed,thu,fri 09:00–17:00 (Europe/Berlin))");
    expect(outcome.exitCode).toBe(0);
    expect(outcome.summary.scenarios).toEqual([]);
    const types = (await readJournal(join(outcome.runDir, 'journal.jsonl'))).map((event) => event.type);
    expect(types).toEqual(['run.start', 'gameday.start', 'gameday.skipped', 'run.end']);
  });
});
