// `schedule install | list | remove` on a machine without systemd: a crontab entry in a private crontab
// file (never the machine's), its next three run times, and its removal leaving the rest of the file as it was.
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { runFaultline } from '../history/cli-helper.js';

let work: string;
let env: Record<string, string>;
const OTHER = '# the user\'s own entries stay as they are\nMAILTO=ops@example.org\n15 3 * * * /usr/local/bin/backup --nightly\n';

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-schedule-history-'));
  // No systemd here, whatever the machine runs: detection reads this path instead of /run/systemd/system.
  env = { FAULTLINE_SYSTEMD_RUNTIME_DIR: join(work, 'no-systemd'), TZ: 'UTC' };
  writeFileSync(join(work, 'gameday.yaml'), writePlan('Wednesday game day', '{ cron: "30 10 * * 3", timezone: UTC, concurrency: forbid }', 'window: { days: [wed], hours: { from: "10:00", to: "12:00" }, timezone: UTC }'));
  writeFileSync(join(work, 'crontab'), OTHER);
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

/** A game-day plan with one pause step (schedules read the plan alone, not its scenarios). */
function writePlan(title: string, schedule: string | undefined, extra = ''): string {
  return [`kind: gameday`, `title: ${title}`, 'objective: exercise the scheduler', 'steps:', '  - { name: wait, pauseMs: 10 }', ...(schedule ? [`schedule: ${schedule}`] : []), extra, ''].join('\n');
}

/** The next three Wednesdays at 10:30 UTC after now, computed by hand rather than by croner. */
function nextWednesdays(): string[] {
  const times: string[] = [];
  const day = new Date();
  day.setUTCHours(10, 30, 0, 0);
  while (times.length < 3) {
    if (day.getUTCDay() === 3 && day.getTime() > Date.now()) times.push(day.toISOString());
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return times;
}

describe('schedule with cron', () => {
  test('install writes a crontab entry that list shows with its next three run times; remove takes it out again', async () => {
    const installed = await runFaultline(work, ['schedule', 'install', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/with cron: 30 10 \* \* 3 UTC/);
    const crontab = readFileSync(join(work, 'crontab'), 'utf8');
    expect(crontab.startsWith(OTHER)).toBe(true);
    // The line cron runs: the expression, then `faultline schedule fire <plan>` with every path quoted for /bin/sh.
    const line = crontab.split('\n').find((entry) => entry.startsWith('30 10 * * 3 '));
    expect(line).toBeDefined();
    expect(line).toContain(`'schedule' 'fire' '${join(work, 'gameday.yaml')}'`);
    expect(crontab).not.toContain('CRON_TZ'); // the plan's zone is the host's: nothing to override

    const listed = await runFaultline(work, ['schedule', 'list', '--crontab', 'crontab', '--json'], env);
    expect(listed.code, listed.stderr).toBe(0);
    const result = JSON.parse(listed.stdout) as { scheduler: string; schedules: { name: string; plan: string; title: string; next: string[] }[] };
    expect(result.scheduler).toBe('cron');
    expect(result.schedules).toHaveLength(1);
    expect(result.schedules[0]).toMatchObject({ plan: join(work, 'gameday.yaml'), title: 'Wednesday game day' });
    expect(result.schedules[0]!.next).toEqual(nextWednesdays());
    const table = await runFaultline(work, ['schedule', 'list', '--crontab', 'crontab'], env);
    expect(table.stdout).toContain(`next: ${nextWednesdays().join(', ')}`);

    // Installing again replaces the entry rather than adding a second one.
    await runFaultline(work, ['schedule', 'install', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(readFileSync(join(work, 'crontab'), 'utf8').match(/^30 10 \* \* 3 /gm)).toHaveLength(1);

    const removed = await runFaultline(work, ['schedule', 'remove', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(readFileSync(join(work, 'crontab'), 'utf8')).toBe(OTHER);
    const empty = JSON.parse((await runFaultline(work, ['schedule', 'list', '--crontab', 'crontab', '--json'], env)).stdout) as { schedules: unknown[] };
    expect(empty.schedules).toEqual([]);
    const again = await runFaultline(work, ['schedule', 'remove', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/no schedule faultline-gameday-[0-9a-f]{8} in crontab/);
  }, 60_000);

  test('$FAULTLINE_CRONTAB names the file too, and a plan in another zone sets CRON_TZ for its own line only', async () => {
    writeFileSync(join(work, 'berlin.yaml'), writePlan('Berlin', '{ cron: "0 9 * * 1-5", timezone: Europe/Berlin }'));
    const installed = await runFaultline(work, ['schedule', 'install', 'berlin.yaml'], { ...env, FAULTLINE_CRONTAB: join(work, 'crontab') });
    expect(installed.code, installed.stderr).toBe(0);
    expect(installed.stdout).toMatch(/CRON_TZ/); // the warning about crons that ignore it
    const lines = readFileSync(join(work, 'crontab'), 'utf8').split('\n');
    const at = lines.findIndex((line) => line.startsWith('0 9 * * 1-5 '));
    expect(lines[at - 1]).toBe('CRON_TZ=Europe/Berlin');
    expect(lines[at + 1]).toBe('CRON_TZ=UTC');
    const listed = JSON.parse((await runFaultline(work, ['schedule', 'list', '--json'], { ...env, FAULTLINE_CRONTAB: join(work, 'crontab') })).stdout) as { schedules: { next: string[] }[] };
    // 09:00 in Berlin in winter is 08:00 UTC.
    expect(listed.schedules[0]!.next.every((time) => time.endsWith('T08:00:00.000Z') || time.endsWith('T07:00:00.000Z'))).toBe(true);
    expect(listed.schedules[0]!.next).toHaveLength(3);
  }, 60_000);

  test('a plan without a schedule, with a six-field cron, or not a plan at all is refused (exit 2) and the crontab is not created', async () => {
    writeFileSync(join(work, 'none.yaml'), writePlan('no schedule', undefined));
    writeFileSync(join(work, 'seconds.yaml'), writePlan('seconds', '{ cron: "0 30 10 * * 3" }'));
    writeFileSync(join(work, 'not-a-plan.yaml'), 'title: just a title\n');
    const expected: Record<string, RegExp> = { 'none.yaml': /has no schedule/, 'seconds.yaml': /five/, 'not-a-plan.yaml': /not-a-plan\.yaml:1:1 kind: missing required field/ };
    for (const [plan, message] of Object.entries(expected)) {
      const result = await runFaultline(work, ['schedule', 'install', plan, '--crontab', 'fresh-crontab'], env);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(work, 'fresh-crontab'))).toBe(false);
  }, 60_000);
});
