// A schedule re-reads its plan and scenarios at each start and runs them as faultline's user (root):
// another user who can change one of those files, or replace it through its directory, would choose
// what root runs next. Install refuses such a plan; fire records the start as skipped and runs nothing.
import { chmodSync, chownSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { firePlan } from '../../src/schedule/fire-plan.js';
import { FIXTURES, runFaultline } from '../history/cli-helper.js';

const NOBODY = 65534;
let work: string;
let env: Record<string, string>;

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-review-schedule-'));
  env = { FAULTLINE_SYSTEMD_RUNTIME_DIR: join(work, 'no-systemd'), TZ: 'UTC' };
  copyFileSync(join(FIXTURES, 'quick-gameday.yaml'), join(work, 'gameday.yaml'));
  copyFileSync(join(FIXTURES, 'quick-window-kill.yaml'), join(work, 'quick-window-kill.yaml'));
  writeFileSync(join(work, 'crontab'), '');
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('a plan another user can change', () => {
  test('install refuses a plan writable by others, and one whose scenario another uid owns; a private one is installed', async () => {
    chmodSync(join(work, 'gameday.yaml'), 0o666);
    const open = await runFaultline(work, ['schedule', 'install', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(open.code).not.toBe(0);
    expect(open.stderr).toMatch(/gameday\.yaml is writable by its group or by others/);
    expect(readFileSync(join(work, 'crontab'), 'utf8')).toBe('');

    chmodSync(join(work, 'gameday.yaml'), 0o644);
    chownSync(join(work, 'quick-window-kill.yaml'), NOBODY, NOBODY);
    const foreign = await runFaultline(work, ['schedule', 'install', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(foreign.code).not.toBe(0);
    expect(foreign.stderr).toMatch(new RegExp(`quick-window-kill\\.yaml belongs to uid ${NOBODY}`));
    expect(readFileSync(join(work, 'crontab'), 'utf8')).toBe('');

    chownSync(join(work, 'quick-window-kill.yaml'), 0, 0);
    const fine = await runFaultline(work, ['schedule', 'install', 'gameday.yaml', '--crontab', 'crontab'], env);
    expect(fine.code, fine.stderr).toBe(0);
    expect(readFileSync(join(work, 'crontab'), 'utf8')).toContain("'schedule' 'fire'");
  }, 120_000);

  test('fire runs nothing when a directory above the scenario became writable by others, and records the skip with why', async () => {
    const sub = join(work, 'shared');
    mkdirSync(sub);
    copyFileSync(join(work, 'quick-window-kill.yaml'), join(sub, 'quick-window-kill.yaml'));
    writeFileSync(join(work, 'gameday.yaml'), readFileSync(join(work, 'gameday.yaml'), 'utf8').replace('scenario: quick-window-kill.yaml', 'scenario: shared/quick-window-kill.yaml'));
    chmodSync(sub, 0o777);
    let ran = 0;
    const outcome = await firePlan(join(work, 'gameday.yaml'), { reportsDir: join(work, 'reports'), runPlan: async () => ++ran });
    expect(ran).toBe(0);
    expect(outcome).toMatchObject({ ran: false, reason: expect.stringMatching(/shared is writable by its group or by others \(mode 777\)/) });
    if (outcome.ran) return;
    expect(readFileSync(join(outcome.dir, 'skipped.json'), 'utf8')).toMatch(/another user could change what it runs/);

    chmodSync(sub, 0o755);
    const fired = await firePlan(join(work, 'gameday.yaml'), { reportsDir: join(work, 'reports'), runPlan: async () => ++ran });
    expect(fired).toEqual({ ran: true, exitCode: 1 });
  }, 120_000);
});
