// What the host scheduler needs from a game-day plan: its title, its schedule (cron, time zone,
// concurrency, random delay) and its allowed window. Read from the plan file itself so that a schedule
// always runs the plan as it is now, not a copy taken at install time.
import { readFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import yaml from 'js-yaml';
import { InputError, getErrorMessage } from '../errors.js';
import { checkTimeZone, parseCronExpression, type CronExpression } from './cron-expression.js';

/** A plan's allowed window: the days and hours (in its time zone) in which a run may start. */
export interface AllowedWindow {
  /** 0 = Sunday … 6 = Saturday; all days when absent. */
  days?: number[];
  /** Minutes after midnight: start inclusive, end exclusive (an end before the start wraps past midnight). */
  hours?: { startMinute: number; endMinute: number; text: string };
  timezone: string;
}

/** The schedule of a plan, checked. */
export interface PlanSchedule {
  file: string;
  title: string;
  cron: CronExpression;
  timezone: string;
  concurrency: 'forbid' | 'allow';
  /** Up to this many ms of random delay before a scheduled run starts. */
  randomDelayMs: number;
  window?: AllowedWindow;
}

const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/** Reads a plan's schedule; a plan without one, or with an invalid one, is an InputError naming the field. */
export function readPlanSchedule(path: string): PlanSchedule {
  const file = resolve(path);
  let plan: Record<string, unknown>;
  try {
    plan = asObject(yaml.load(readFileSync(file, 'utf8'), { filename: file, json: false })) ?? {};
  } catch (error) {
    throw new InputError(`${path}: cannot read the plan: ${getErrorMessage(error)}`, { cause: error });
  }
  const schedule = asObject(plan.schedule);
  if (!schedule) throw new InputError(`${path}: the plan has no schedule`, { hint: 'add `schedule: { cron: "0 10 * * 3", timezone: UTC }` to the plan' });
  if (typeof schedule.cron !== 'string') throw new InputError(`${path} schedule.cron: expected a cron expression such as "0 10 * * 3"; got ${JSON.stringify(schedule.cron)}`);
  const timezone = checkTimeZone(typeof schedule.timezone === 'string' ? schedule.timezone : 'UTC', `${path} schedule.timezone`);
  const concurrency = schedule.concurrency ?? 'forbid';
  if (concurrency !== 'forbid' && concurrency !== 'allow') throw new InputError(`${path} schedule.concurrency: expected forbid or allow; got ${JSON.stringify(concurrency)}`);
  const window = asObject(plan.window) ?? asObject(plan.allowedWindow);
  return {
    file,
    title: typeof plan.title === 'string' ? plan.title : basename(file),
    cron: parseCronExpression(schedule.cron, `${path} schedule.cron`),
    timezone,
    concurrency,
    randomDelayMs: readDelayMs(schedule, path),
    ...(window ? { window: readWindow(window, timezone, path) } : {}),
  };
}

/** The name of a plan's scheduler entry: readable, and unique per plan file (two plans may share a basename). */
export function getScheduleName(file: string): string {
  const slug = basename(file).replace(/\.ya?ml$/i, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40) || 'plan';
  return `faultline-${slug}-${createHash('sha256').update(resolve(file)).digest('hex').slice(0, 8)}`;
}

function readDelayMs(schedule: Record<string, unknown>, path: string): number {
  const value = schedule.randomDelayMs ?? (typeof schedule.randomDelaySec === 'number' ? schedule.randomDelaySec * 1000 : schedule.randomDelay === undefined ? 0 : undefined);
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 86_400_000) {
    throw new InputError(`${path} schedule.randomDelayMs: expected a number of ms from 0 to one day; got ${JSON.stringify(schedule.randomDelayMs ?? schedule.randomDelay)}`);
  }
  return value;
}

function readWindow(window: Record<string, unknown>, fallbackZone: string, path: string): AllowedWindow {
  const timezone = checkTimeZone(typeof window.timezone === 'string' ? window.timezone : fallbackZone, `${path} window.timezone`);
  const result: AllowedWindow = { timezone };
  if (window.days !== undefined) {
    if (!Array.isArray(window.days) || window.days.length === 0) throw new InputError(`${path} window.days: expected a list such as [mon, tue, wed]`);
    result.days = window.days.map((day) => {
      const index = typeof day === 'string' ? DAY_NAMES.indexOf(day.slice(0, 3).toLowerCase()) : -1;
      if (index < 0) throw new InputError(`${path} window.days: expected day names (mon … sun); got ${JSON.stringify(day)}`);
      return index;
    });
  }
  if (window.hours !== undefined) {
    const match = typeof window.hours === 'string' ? /^(\d{1,2}):(\d{2})\s*-\s*(\d{1,2}):(\d{2})$/.exec(window.hours) : null;
    const minutes = match ? [Number(match[1]) * 60 + Number(match[2]), Number(match[3]) * 60 + Number(match[4])] : [];
    if (!match || minutes.some((minute) => minute > 24 * 60) || Number(match[2]) > 59 || Number(match[4]) > 59) throw new InputError(`${path} window.hours: expected "HH:MM-HH:MM" such as "09:00-17:00"; got ${JSON.stringify(window.hours)}`);
    result.hours = { startMinute: minutes[0]!, endMinute: minutes[1]!, text: String(window.hours) };
  }
  return result;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}
