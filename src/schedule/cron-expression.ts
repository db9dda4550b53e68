// A plan's cron expression: the five fields host schedulers share (minute hour day-of-month month
// day-of-week), checked by croner and expanded here into explicit values for the systemd calendar.
import { createRequire } from 'node:module';
import type { Cron as CronType } from 'croner';
import { InputError } from '../errors.js';

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
] as const;

/** One field: every value it allows, or `all` for `*`. */
export type CronField = { all: true } | { all: false; values: number[] };

/** A parsed five-field expression. */
export interface CronExpression {
  text: string;
  minute: CronField;
  hour: CronField;
  dayOfMonth: CronField;
  month: CronField;
  /** 0 = Sunday (7 is folded into 0). */
  dayOfWeek: CronField;
}

/** Parses and checks a five-field cron expression; `where` names it in errors (e.g. "plan.yaml schedule.cron"). */
export function parseCronExpression(text: string, where: string): CronExpression {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) {
    throw new InputError(`${where}: expected five cron fields (minute hour day-of-month month day-of-week); got ${parts.length} in "${text}"`, { hint: 'host schedulers (cron, systemd timers) have no seconds field: e.g. "30 9 * * 1-5" for 09:30 on weekdays' });
  }
  const fields = parts.map((part, index) => parseField(part, FIELDS[index]!, where));
  // croner agrees it is valid (and is what computes next run times), so a field it reads otherwise is caught here.
  createCron(text, 'UTC', where);
  const dayOfWeek = fields[4]!;
  return {
    text: parts.join(' '),
    minute: fields[0]!, hour: fields[1]!, dayOfMonth: fields[2]!, month: fields[3]!,
    dayOfWeek: dayOfWeek.all ? dayOfWeek : { all: false, values: [...new Set(dayOfWeek.values.map((day) => day % 7))].sort((a, b) => a - b) },
  };
}

/** The next `count` times the expression fires in `timezone`, after `from`. */
export function getNextRuns(text: string, timezone: string, count: number, from: Date = new Date()): Date[] {
  return createCron(text, timezone, 'schedule').nextRuns(count, from);
}

/** Checks an IANA time zone name, as croner and systemd will read it. */
export function checkTimeZone(timezone: string, where: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
  } catch {
    throw new InputError(`${where}: unknown time zone "${timezone}"`, { hint: 'use an IANA name such as UTC, Europe/Berlin or America/New_York' });
  }
  return timezone;
}

function createCron(text: string, timezone: string, where: string): CronType {
  // croner is loaded lazily: only the schedule commands need it.
  const { Cron } = createRequire(import.meta.url)('croner') as typeof import('croner');
  try {
    // legacyMode: day-of-month and day-of-week are OR-ed, as cron does (and as the systemd calendar is written).
    return new Cron(text, { timezone, paused: true, legacyMode: true });
  } catch (error) {
    throw new InputError(`${where}: invalid cron expression "${text}": ${(error as Error).message}`, { cause: error });
  }
}

function parseField(part: string, field: (typeof FIELDS)[number], where: string): CronField {
  if (part === '*') return { all: true };
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const match = /^(\*|[a-z0-9]+(?:-[a-z0-9]+)?)(?:\/(\d+))?$/i.exec(item);
    if (!match) throw new InputError(`${where}: cron ${field.name} field "${part}" is not a value, range, list or step`);
    const [, range, stepText] = match;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (step < 1) throw new InputError(`${where}: cron ${field.name} step must be ≥ 1; got "${item}"`);
    let [low, high] = range === '*' ? [field.min, field.max] : range!.split('-').map((value) => readValue(value, field, where)) as [number, number?];
    if (high === undefined) high = stepText === undefined ? low : field.max;
    if (low > high) throw new InputError(`${where}: cron ${field.name} range "${item}" runs backwards`);
    for (let value = low; value <= high; value += step) values.add(value);
  }
  return { all: false, values: [...values].sort((a, b) => a - b) };
}

function readValue(text: string, field: (typeof FIELDS)[number], where: string): number {
  const named = 'names' in field ? (field.names as readonly string[]).indexOf(text.toLowerCase()) : -1;
  const value = named >= 0 ? named + (field.name === 'month' ? 1 : 0) : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!Number.isInteger(value) || value < field.min || value > field.max) {
    throw new InputError(`${where}: cron ${field.name} value "${text}" is outside ${field.min}–${field.max}`);
  }
  return value;
}
