// Game-day plans: the bundled default loads; every problem names file:line:col; windows are evaluated in their time zone.
import { mkdtempSync, rmSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { inspectPlan, loadPlan } from '../../src/gameday/load-plan.js';
import { readPlanFile } from '../../src/gameday/read-plan.js';
import { isWithinWindow } from '../../src/gameday/window.js';
import { inspectScenarioFiles } from '../../src/scenario/load.js';
import { formatProblem } from '../../src/validate/problem.js';

const pack = fileURLToPath(new URL('../../scenarios/tmux-orchestrator/', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), `faultline-gameday-plan-${process.pid}-`));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A plan in the temp dir beside a copy of one scenario of the bundled pack.
function writePlan(name: string, text: string): string {
  copyFileSync(join(pack, 'spof-001-tmux-server-killed.yaml'), join(dir, 'spof-001.yaml'));
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

const head = 'kind: gameday\ntitle: T\nobjective: O\n';

describe('game-day plans', () => {
  it('loads the bundled default plan with its steps, hypotheses, stop condition and defaults', async () => {
    const loaded = await loadPlan(join(pack, 'gameday.yaml'));
    expect(loaded.id).toBe('reference-default');
    expect(loaded.steps.map((step) => step.kind)).toEqual(['scenarios', 'pause', 'scenarios']);
    expect(loaded.scenarios.map((scenario) => scenario.id)).toEqual(['tmux-server-killed', 'agent-window-killed']);
    expect(loaded.plan.hypotheses.map((hypothesis) => hypothesis.id)).toEqual(['server-loss-recovers', 'agent-window-recovers']);
    expect(loaded.plan.stopConditions[0]).toMatchObject({ probe: 'process.alive', pidFile: 'run/healer.pid' });
    expect(loaded.plan.stopConditionIntervalMs).toBe(1000);
    expect(loaded.plan.target).toBe('reference');
  });

  it('is skipped by a directory walk of the scenarios, and refused by name as a scenario', async () => {
    const walked = await inspectScenarioFiles([pack]);
    expect(walked.problems.map(formatProblem)).toEqual([]);
    const named = await inspectScenarioFiles([join(pack, 'gameday.yaml')]);
    expect(named.problems.map(formatProblem).join('\n')).toMatch(/gameday\.yaml:\d+:\d+ kind: this file is a game-day plan, not a scenario; use `faultline gameday validate/);
  });

  it('names file:line:col and the field of a schema problem', async () => {
    const file = writePlan('typo.yaml', `${head}steps:\n  - scenario: spof-001.yaml\n  - pauseMs: -5\n  - manual:\n      instructon: do it\n`);
    const { problems } = await readPlanFile(file);
    const lines = problems.map(formatProblem);
    expect(lines).toContainEqual(expect.stringMatching(/typo\.yaml:6:14 steps\.1\.pauseMs: expected .*≥ 0/));
    expect(lines).toContainEqual(expect.stringMatching(/typo\.yaml:8:7 steps\.2\.manual\.instructon: unknown field `instructon`; did you mean `instruction`\?/));
    writeFileSync(file, `${head}steps:\n  - scenari: spof-001.yaml\n`);
    expect((await readPlanFile(file)).problems.map(formatProblem)).toEqual([expect.stringMatching(/typo\.yaml:5:5 steps\.0\.scenari: unknown field `scenari`; did you mean `scenario`\?$/)]);
  });

  it('refuses a step that is two things at once, an unknown time zone and a bad cron expression', async () => {
    const file = writePlan('values.yaml', `${head}steps:\n  - scenario: spof-001.yaml\n    pauseMs: 10\nwindow:\n  timezone: Mars/Olympus\nschedule:\n  cron: '0 25 * * *'\n`);
    const first = (await readPlanFile(file)).problems.map(formatProblem);
    expect(first).toEqual([expect.stringMatching(/values\.yaml:5:5 steps\.0: expected exactly one of `scenario`, `tag`, `pauseMs`, `manual`; got `scenario` and `pauseMs`/)]);
    writeFileSync(file, `${head}steps:\n  - pauseMs: 10\nwindow:\n  timezone: Mars/Olympus\nschedule:\n  cron: '0 25 * * *'\n`);
    const second = (await readPlanFile(file)).problems.map(formatProblem);
    expect(second).toEqual([
      expect.stringMatching(/values\.yaml:7:13 window\.timezone: unknown time zone "Mars\/Olympus"/),
      expect.stringMatching(/values\.yaml:9:9 schedule\.cron: invalid cron expression "0 25 \* \* \*"/),
    ]);
  });

  it('refuses a hypothesis naming a scenario no step runs, and a scenario run twice', async () => {
    const file = writePlan('cross.yaml', `${head}hypotheses:\n  - id: h\n    statement: S\n    scenarios: [no-such]\nsteps:\n  - scenario: spof-001.yaml\n  - tag: spof\n`);
    const lines = (await inspectPlan(file)).problems.map(formatProblem);
    expect(lines).toContainEqual(expect.stringMatching(/cross\.yaml:7:17 hypotheses\.0\.scenarios\.0: no step of the plan runs scenario no-such; the plan runs tmux-server-killed/));
    expect(lines).toContainEqual(expect.stringMatching(/cross\.yaml:10:10 steps\.1\.tag: scenario tmux-server-killed already runs in steps\.0/));
    await expect(loadPlan(file)).rejects.toThrow(/2 problems in the game-day plan/);
  });

  it('reads schedule defaults: UTC, concurrency forbid, no random delay', async () => {
    const file = writePlan('sched.yaml', `${head}steps:\n  - pauseMs: 1\nschedule:\n  cron: '30 9 * * 1-5'\n`);
    const { plan, problems } = await readPlanFile(file);
    expect(problems).toEqual([]);
    expect(plan?.schedule).toEqual({ cron: '30 9 * * 1-5', timezone: 'UTC', concurrency: 'forbid', randomDelayMs: 0 });
  });
});

describe('allowed windows', () => {
  // 2026-12-02 is a Wednesday.
  const at = (iso: string) => new Date(iso);
  it('allows a start on an allowed day within the hours, in the window’s time zone', () => {
    const window = { days: ['wed' as const], hours: { from: '09:00', to: '17:00' }, timezone: 'Europe/Berlin' };
    expect(isWithinWindow(window, at('2026-12-02T08:30:00Z'))).toBe(true); // 09:30 in Berlin
    expect(isWithinWindow(window, at('2026-12-02T07:30:00Z'))).toBe(false); // 08:30 in Berlin
    expect(isWithinWindow(window, at('2026-12-02T16:00:00Z'))).toBe(false); // 17:00 in Berlin: `to` is excluded
    expect(isWithinWindow(window, at('2026-12-03T08:30:00Z'))).toBe(false); // a Thursday
  });
  it('spans midnight when `to` is before `from`', () => {
    const window = { hours: { from: '22:00', to: '02:00' } };
    expect(isWithinWindow(window, at('2026-12-02T23:00:00Z'))).toBe(true);
    expect(isWithinWindow(window, at('2026-12-02T01:59:00Z'))).toBe(true);
    expect(isWithinWindow(window, at('2026-12-02T02:00:00Z'))).toBe(false);
  });
  it('counts the hours after midnight to the day the window opened', () => {
    const window = { days: ['fri' as const], hours: { from: '22:00', to: '02:00' } };
    expect(isWithinWindow(window, at('2026-12-04T23:00:00Z'))).toBe(true); // Friday 23:00
    expect(isWithinWindow(window, at('2026-12-05T01:00:00Z'))).toBe(true); // Saturday 01:00: Friday's window
    expect(isWithinWindow(window, at('2026-12-04T01:00:00Z'))).toBe(false); // Friday 01:00: Thursday's window
    expect(isWithinWindow(window, at('2026-12-05T23:00:00Z'))).toBe(false); // Saturday 23:00
  });
  it('treats from = to as the empty window the plan reader refuses', () => {
    expect(isWithinWindow({ hours: { from: '09:00', to: '09:00' } }, at('2026-12-02T09:00:00Z'))).toBe(false);
  });
});
