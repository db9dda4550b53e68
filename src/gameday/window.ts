// Whether a moment falls in a plan's allowed window (days and hours in the window's time zone).
import { dayNames, type Day, type PlanWindow } from './plan-schema.js';

const weekdays: Record<string, Day> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The day and HH:MM of `at` in `timezone`. */
export function getLocalTime(at: Date, timezone: string): { day: Day; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return { day: weekdays[part('weekday')] ?? 'mon', time: `${part('hour')}:${part('minute')}` };
}

/**
 * True when a run may start at `at`: no window, or from ≤ time < to on an allowed day. A `to` before
 * `from` spans midnight, and the hours after midnight belong to the day the window opened: with
 * `days: [fri]` and 22:00–02:00, Saturday 01:00 is in Friday's window and Friday 01:00 is not.
 */
export function isWithinWindow(window: PlanWindow | undefined, at: Date = new Date()): boolean {
  if (!window) return true;
  const { day, time } = getLocalTime(at, window.timezone ?? 'UTC');
  const hours = window.hours;
  // from = to is an empty window (a plan naming one is refused when it is read).
  const inHours = !hours || (hours.from < hours.to ? hours.from <= time && time < hours.to : hours.from > hours.to && (time >= hours.from || time < hours.to));
  if (!inHours) return false;
  const afterMidnight = hours !== undefined && hours.from > hours.to && time < hours.to;
  const opened = afterMidnight ? dayNames[(dayNames.indexOf(day) + 6) % 7]! : day;
  return !window.days || window.days.includes(opened);
}

/** The window in words, for a "skipped: outside the window" message. */
export function describeWindow(window: PlanWindow): string {
  const days = window.days ? window.days.join(',') : 'every day';
  const hours = window.hours ? ` ${window.hours.from}–${window.hours.to}` : '';
  return `${days}${hours} (${window.timezone ?? 'UTC'})`;
}
