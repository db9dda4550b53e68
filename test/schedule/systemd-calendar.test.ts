// The systemd timer a plan becomes fires when cron would: systemd's own calendar evaluator
// (systemd-analyze calendar) and croner agree on the next runs of each OnCalendar= conversion.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { getNextRuns, parseCronExpression } from '../../src/schedule/cron-expression.js';
import { toOnCalendar } from '../../src/schedule/systemd-calendar.js';
import { renderUnits } from '../../src/schedule/systemd-scheduler.js';

const analyze = ['/usr/bin/systemd-analyze', '/bin/systemd-analyze'].find((path) => existsSync(path));

// systemd-analyze prints "Next elapse: Wed 2026-12-02 08:30:00 UTC" then "Iter. #2: …" lines, in UTC with TZ=UTC.
function systemdNextRuns(calendar: string, count: number): number[] {
  const output = execFileSync(analyze!, ['calendar', `--iterations=${count}`, calendar], { encoding: 'utf8', env: { ...process.env, TZ: 'UTC' } });
  return [...output.matchAll(/(?:Next elapse|Iter\. #\d+): \w{3} (\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}) UTC/g)].map((match) => Date.parse(`${match[1]!.replace(' ', 'T')}Z`));
}

describe.skipIf(!analyze)('cron as OnCalendar', () => {
  const cases: [string, string][] = [
    ['30 9 * * 1-5', 'Europe/Berlin'],
    ['*/15 * * * *', 'UTC'],
    ['0 22 * * sun', 'America/New_York'],
    ['5 4 1,15 * *', 'UTC'],
    // Day of month OR day of week, as cron means it: two OnCalendar lines.
    ['0 12 13 * 5', 'UTC'],
    ['0 0-6/2 * jan-mar,dec *', 'Asia/Tokyo'],
  ];
  test.each(cases)('"%s" in %s fires at the same times under systemd and croner', (cron, zone) => {
    const lines = toOnCalendar(parseCronExpression(cron, 'test'), zone);
    const count = 8;
    const systemd = [...new Set(lines.flatMap((line) => systemdNextRuns(line, count)))].sort((a, b) => a - b).slice(0, count);
    const croner = getNextRuns(cron, zone, count).map((date) => date.getTime());
    expect(systemd).toEqual(croner);
  });

  test('the units are a oneshot service started by a timer, with every plan field readable back', () => {
    const units = renderUnits({ name: 'faultline-x-1234abcd', plan: '/srv/plans/100% game day.yaml', title: 'Game day', cron: '0 12 13 * 5', timezone: 'UTC', command: ['/usr/bin/node', '/opt/faultline/bin/faultline.js', 'schedule', 'fire', '/srv/plans/100% game day.yaml'], cwd: '/srv/plans', log: '' });
    expect(units.service).toContain('Type=oneshot');
    // % is a specifier to systemd: doubled; a path with spaces is quoted.
    expect(units.service).toContain('ExecStart=/usr/bin/node /opt/faultline/bin/faultline.js schedule fire "/srv/plans/100%% game day.yaml"');
    expect(units.timer.match(/^OnCalendar=/gm)).toHaveLength(2);
    expect(units.timer).toContain('Unit=faultline-x-1234abcd.service');
  });
});
