// Which host scheduler a plan goes into: systemd timers when systemd is the running init (what
// sd_booted(3) checks: /run/systemd/system exists), otherwise the crontab. A --crontab file (or
// $FAULTLINE_CRONTAB) always means cron, so a test never reaches the machine's scheduler.
import { existsSync } from 'node:fs';
import { InputError } from '../errors.js';
import { createCrontabScheduler } from './crontab-scheduler.js';
import type { HostScheduler } from './scheduler-types.js';
import { createSystemdScheduler, getDefaultUnitDir } from './systemd-scheduler.js';

/** How the schedule commands were asked to choose. */
export interface SchedulerChoice {
  scheduler?: 'auto' | 'systemd' | 'cron';
  crontab?: string;
  unitDir?: string;
}

/** True when systemd is the running init; $FAULTLINE_SYSTEMD_RUNTIME_DIR replaces /run/systemd/system for tests. */
export function isSystemdRunning(): boolean {
  return existsSync(process.env.FAULTLINE_SYSTEMD_RUNTIME_DIR ?? '/run/systemd/system');
}

/** The scheduler to use, by the rules above. */
export function selectScheduler(choice: SchedulerChoice): HostScheduler {
  const crontab = choice.crontab ?? (process.env.FAULTLINE_CRONTAB || undefined);
  const wanted = choice.scheduler ?? 'auto';
  if (crontab && wanted === 'systemd') throw new InputError('--crontab and --scheduler systemd contradict each other: pick one');
  if (crontab || wanted === 'cron') return createCrontabScheduler(crontab);
  const running = isSystemdRunning();
  if (wanted === 'systemd' || running) return createSystemdScheduler(choice.unitDir ?? getDefaultUnitDir(), running && choice.unitDir === undefined);
  return createCrontabScheduler();
}

/** The host's own time zone, as cron reads its expressions. */
export function getHostTimezone(): string {
  return process.env.TZ || Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}
