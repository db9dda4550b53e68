// What the host scheduler needs from a game-day plan: its title and its schedule (cron, time zone,
// concurrency, random delay), read with the plan loader (file:line:col on a bad plan). Read from the
// plan file at each start, so a schedule always runs the plan as it is now, not a copy taken at install.
import { basename, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { readPlanFile } from '../gameday/read-plan.js';
import { formatProblem } from '../validate/problem.js';
import { parseCronExpression, type CronExpression } from './cron-expression.js';

/** The schedule of a plan, checked. */
export interface PlanSchedule {
  file: string;
  title: string;
  cron: CronExpression;
  timezone: string;
  concurrency: 'forbid';
  /** Up to this many ms of random delay before a scheduled run starts. */
  randomDelayMs: number;
}

/** Reads a plan's schedule; an invalid plan, or one without a schedule, is an InputError. */
export async function readPlanSchedule(path: string): Promise<PlanSchedule> {
  const content = await readPlanFile(path);
  if (!content.plan || content.problems.length > 0) {
    throw new InputError(`${path}: not a valid game-day plan`, { problems: content.problems.map(formatProblem), hint: `\`faultline gameday validate ${path}\` lists what to fix` });
  }
  const { plan } = content;
  if (!plan.schedule) throw new InputError(`${path}: the plan has no schedule`, { hint: 'add `schedule: { cron: "0 10 * * 3", timezone: UTC }` to the plan' });
  return {
    file: content.absolute,
    title: plan.title,
    cron: parseCronExpression(plan.schedule.cron, `${path} schedule.cron`),
    timezone: plan.schedule.timezone ?? 'UTC',
    concurrency: plan.schedule.concurrency ?? 'forbid',
    randomDelayMs: plan.schedule.randomDelayMs ?? 0,
  };
}

/** The name of a plan's scheduler entry: readable, and unique per plan file (two plans may share a basename). */
export function getScheduleName(file: string): string {
  const slug = basename(file).replace(/\.ya?ml$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'plan';
  return `faultline-${slug}-${createHash('sha256').update(resolve(file)).digest('hex').slice(0, 8)}`;
}
