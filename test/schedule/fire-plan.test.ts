// `schedule fire`, what the host scheduler starts: a start outside the plan's allowed window is not run
// and is recorded as skipped (a run folder and a history row, through the real `gameday run`); a start
// while the previous one still holds the plan (concurrency: forbid) is skipped and recorded too.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { firePlan } from '../../src/schedule/fire-plan.js';
import { getScheduleName } from '../../src/schedule/plan-schedule.js';
import { tryTargetLock } from '../../src/run/target-lock.js';
import { openHistory } from '../../src/history/open-history.js';
import { listHistoryRuns } from '../../src/history/query-history.js';
import { FIXTURES, runFaultline } from '../history/cli-helper.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-fire-history-'));
  copyFileSync(join(FIXTURES, 'quick-window-kill.yaml'), join(work, 'quick-window-kill.yaml'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** The quick plan with a window that allows every day but today (UTC), so any start now is outside it. */
function writePlan(): string {
  const today = new Date().getUTCDay();
  const days = DAYS.filter((_, index) => index !== today && index !== (today + 1) % 7); // tomorrow too: a test running over midnight stays outside
  const plan = join(work, 'gameday.yaml');
  writeFileSync(plan, `${readFileSync(join(FIXTURES, 'quick-gameday.yaml'), 'utf8')}window: { days: [${days.join(', ')}], timezone: UTC }\n`);
  return plan;
}

describe('schedule fire', () => {
  test('a start outside the allowed window runs nothing and is recorded as skipped, with the reason', async () => {
    writePlan();
    const fired = await runFaultline(work, ['schedule', 'fire', 'gameday.yaml', '--reports', 'reports']);
    expect(fired.code, fired.stderr).toBe(0);
    expect(fired.stdout).toMatch(/skipped: started outside the plan's window/);
    const listed = JSON.parse((await runFaultline(work, ['history', '--json', '--kind', 'skipped'])).stdout) as { runs: { kind: string; title: string; reason: string; scenarios: { completed: number }[] }[] };
    expect(listed.runs).toHaveLength(1);
    expect(listed.runs[0]).toMatchObject({ kind: 'skipped', title: 'Quick history game day' });
    expect(listed.runs[0]!.reason).toMatch(/outside the plan's window/);
    // Nothing ran: no scenario was measured.
    expect(listed.runs[0]!.scenarios.every((scenario) => scenario.completed === 0)).toBe(true);
    // The folders stay the source of truth: a rebuild finds the same skip.
    rmSync(join(work, 'reports', 'history.db'));
    const again = JSON.parse((await runFaultline(work, ['history', '--json'])).stdout) as { runs: { kind: string; reason: string }[] };
    expect(again.runs.map((run) => [run.kind, run.reason])).toEqual([['skipped', listed.runs[0]!.reason]]);
  }, 120_000);

  test('while a run holds the plan (concurrency: forbid) the next start is skipped and recorded', async () => {
    const plan = writePlan();
    let ran = 0;
    const held = await tryTargetLock(`schedule:${getScheduleName(plan)}`, 'test: a scheduled run still going');
    expect('lock' in held).toBe(true);
    try {
      const skipped = await firePlan(plan, { reportsDir: join(work, 'reports'), runPlan: async () => ++ran });
      expect(ran).toBe(0);
      expect(skipped.ran).toBe(false);
      if (skipped.ran) return;
      expect(skipped.reason).toMatch(/previous scheduled run of this plan is still going .*concurrency: forbid/);
      expect(JSON.parse(readFileSync(join(skipped.dir, 'skipped.json'), 'utf8'))).toMatchObject({ kind: 'skipped', plan, reason: skipped.reason });
    } finally {
      if ('lock' in held) held.lock.release();
    }
    // Released: the next start runs the plan and returns its exit code.
    expect(await firePlan(plan, { reportsDir: join(work, 'reports'), runPlan: async () => 7 })).toEqual({ ran: true, exitCode: 7 });
    const { db } = openHistory(join(work, 'reports', 'history.db'));
    try {
      expect(listHistoryRuns(db).map((run) => run.kind)).toEqual(['skipped']);
    } finally {
      db.close();
    }
  }, 60_000);
});
