// `faultline schedule install | list | remove`: a plan's entry in the host's scheduler, and its next run times.
import { dirname, resolve } from 'node:path';
import { getPackagePath } from '../util/package-root.js';
import { InputError } from '../errors.js';
import { getNextRuns } from './cron-expression.js';
import { getScheduleName, readPlanSchedule } from './plan-schedule.js';
import { findUntrustedPlanFile } from './plan-trust.js';
import type { ScheduleEntry } from './scheduler-types.js';
import { getHostTimezone, selectScheduler, type SchedulerChoice } from './select-scheduler.js';

/** Installs (or replaces) the plan's entry; `reportsDir` is where its runs (and skips) are written. */
export async function installSchedule(planFile: string, options: SchedulerChoice & { reportsDir: string }): Promise<{ entry: ScheduleEntry; scheduler: string; where: string; lines: string[]; next: Date[] }> {
  const plan = await readPlanSchedule(planFile);
  const untrusted = await findUntrustedPlanFile(plan.file);
  if (untrusted !== undefined) {
    throw new InputError(`${plan.file}: not scheduled: ${untrusted}, and a scheduled run re-reads its plan and scenarios at each start (a scenario may run commands)`, {
      hint: 'keep the plan, its scenarios and the directories above them writable by this user only (chown, chmod go-w)',
    });
  }
  const scheduler = selectScheduler(options);
  const name = getScheduleName(plan.file);
  const reports = resolve(options.reportsDir);
  const entry: ScheduleEntry = {
    name, plan: plan.file, title: plan.title, cron: plan.cron.text, timezone: plan.timezone,
    command: [process.execPath, getPackagePath('bin', 'faultline.js'), 'schedule', 'fire', plan.file, '--reports', reports],
    cwd: dirname(plan.file),
    log: resolve(reports, `${name}.log`),
  };
  const lines = await scheduler.install(entry, getHostTimezone());
  return { entry, scheduler: scheduler.kind, where: scheduler.where, lines, next: getNextRuns(plan.cron.text, plan.timezone, 3) };
}

/** One installed schedule with its next run times. */
export interface ListedSchedule extends ScheduleEntry {
  scheduler: string;
  next: string[];
  problem?: string;
}

/** Every faultline entry of the scheduler, with its next `count` run times (cron evaluated by croner in the plan's zone). */
export async function listSchedules(options: SchedulerChoice & { count: number; now?: Date }): Promise<{ scheduler: string; where: string; schedules: ListedSchedule[] }> {
  const scheduler = selectScheduler(options);
  const schedules = (await scheduler.list()).map((entry) => {
    try {
      return { ...entry, scheduler: scheduler.kind, next: getNextRuns(entry.cron, entry.timezone, options.count, options.now).map((date) => date.toISOString()) };
    } catch (error) {
      return { ...entry, scheduler: scheduler.kind, next: [], problem: (error as Error).message };
    }
  });
  return { scheduler: scheduler.kind, where: scheduler.where, schedules };
}

/** Removes a plan's entry, named by its plan file or its entry name; an unknown one is an InputError. */
export async function removeSchedule(planOrName: string, options: SchedulerChoice): Promise<{ name: string; where: string }> {
  const scheduler = selectScheduler(options);
  const name = planOrName.startsWith('faultline-') && !planOrName.includes('/') ? planOrName : getScheduleName(resolve(planOrName));
  if (!(await scheduler.remove(name))) {
    const installed = (await scheduler.list()).map((entry) => `${entry.name} (${entry.plan})`);
    throw new InputError(`no schedule ${name} in ${scheduler.where}`, { hint: installed.length ? `installed: ${installed.join(', ')}` : 'nothing of faultline is scheduled there' });
  }
  return { name, where: scheduler.where };
}
