// `schedule fire`: a run started outside the plan's allowed window, or while the previous one still runs
// (concurrency: forbid), is not run and is recorded as skipped — a folder of its own and a history row.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { firePlan } from '../../src/schedule/fire-plan.js';
import { checkAllowedWindow } from '../../src/schedule/allowed-window.js';
import { getScheduleName } from '../../src/schedule/plan-schedule.js';
import { tryTargetLock } from '../../src/run/target-lock.js';
import { openHistory } from '../../src/history/open-history.js';
import { listHistoryRuns } from '../../src/history/query-history.js';

let work: string;
let plan: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-fire-history-'));
  plan = join(work, 'gameday.yaml');
  writeFileSync(plan, 'title: Office-hours game day\nschedule: { cron: "0 10 * * 1-5", timezone: Europe/Berlin, concurrency: forbid }\nwindow: { days: [mon, tue, wed, thu, fri], hours: "09:00-17:00", timezone: Europe/Berlin }\n');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

const at = (iso: string) => () => new Date(iso);

describe('schedule fire', () => {
  test('outside the window the plan does not run; the skip is a run folder and a history row with the reason', async () => {
    let ran = 0;
    // Saturday 11:00 in Berlin.
    const outcome = await firePlan(plan, { reportsDir: join(work, 'reports'), now: at('2026-12-05T10:00:00Z'), runPlan: async () => ++ran });
    expect(ran).toBe(0);
    expect(outcome.ran).toBe(false);
    if (outcome.ran) return;
    expect(outcome.reason).toMatch(/outside the plan's allowed window: Sat 11:00 Europe\/Berlin is on Sat, not an allowed day/);
    const record = JSON.parse(readFileSync(join(outcome.dir, 'skipped.json'), 'utf8')) as { kind: string; plan: string; reason: string };
    expect(record).toMatchObject({ kind: 'skipped', plan, reason: outcome.reason });
    const { db } = openHistory(join(work, 'reports', 'history.db'));
    try {
      const runs = listHistoryRuns(db, { kind: 'skipped' });
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ kind: 'skipped', verdict: 'skipped', title: 'Office-hours game day', reason: outcome.reason, startedAt: '2026-12-05T10:00:00.000Z' });
    } finally {
      db.close();
    }
  });

  test('inside the window the plan runs and its exit code is returned; while a run holds the plan, the next is skipped', async () => {
    // Wednesday 10:00 in Berlin.
    const ran = await firePlan(plan, { reportsDir: join(work, 'reports'), now: at('2026-12-02T09:00:00Z'), runPlan: async () => 1 });
    expect(ran).toEqual({ ran: true, exitCode: 1 });
    expect(existsSync(join(work, 'reports'))).toBe(false); // nothing recorded by fire itself: the run writes its own folder

    const held = await tryTargetLock(`schedule:${getScheduleName(plan)}`, 'test: a scheduled run still going');
    expect('lock' in held).toBe(true);
    try {
      const skipped = await firePlan(plan, { reportsDir: join(work, 'reports'), now: at('2026-12-02T09:00:00Z'), runPlan: async () => 0 });
      expect(skipped.ran).toBe(false);
      if (!skipped.ran) expect(skipped.reason).toMatch(/previous scheduled run of this plan is still going .*concurrency: forbid/);
    } finally {
      if ('lock' in held) held.lock.release();
    }
  });

  test('the window is read in its own zone, and hours may wrap past midnight', () => {
    const night = { hours: { startMinute: 22 * 60, endMinute: 2 * 60, text: '22:00-02:00' }, days: [5], timezone: 'UTC' };
    expect(checkAllowedWindow(night, new Date('2026-12-04T23:30:00Z')).inside).toBe(true); // Friday 23:30
    expect(checkAllowedWindow(night, new Date('2026-12-05T01:30:00Z')).inside).toBe(true); // Saturday 01:30 belongs to Friday's window
    expect(checkAllowedWindow(night, new Date('2026-12-05T23:30:00Z')).inside).toBe(false); // Saturday's own window is not allowed
    expect(checkAllowedWindow(night, new Date('2026-12-04T12:00:00Z')).inside).toBe(false);
    const tokyo = { hours: { startMinute: 9 * 60, endMinute: 17 * 60, text: '09:00-17:00' }, timezone: 'Asia/Tokyo' };
    expect(checkAllowedWindow(tokyo, new Date('2026-12-02T01:00:00Z')).inside).toBe(true); // 10:00 in Tokyo
    expect(checkAllowedWindow(tokyo, new Date('2026-12-02T10:00:00Z')).inside).toBe(false); // 19:00 in Tokyo
  });
});
