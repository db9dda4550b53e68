// Whether a moment falls in a plan's allowed window (days and hours in the window's time zone).
import type { Day, PlanWindow } from './plan-schema.js';

const weekdays: Record<string, Day> = { Mon: 'mon', Tue: 'tue', Wed: 'wed', Thu: 'thu', Fri: 'fri', Sat: 'sat', Sun: 'sun' };

/** The day and HH:MM of `at` in `timezone`. */
export function getLocalTime(at: Date, timezone: string): { day: Day; time: string } {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at);
  const part = (type: string) => parts.find((item) => item.type === type)?.value ?? '';
  return { day: weekdays[part('weekday')] ?? 'mon', time: `${part('hour')}:${part('minute')}` };
}

/** True when a run may start at `at`: no window, or the day is allowed and from ≤ time < to (a `to` before `from` spans midnight; the day is the start's). */
export function isWithinWindow(window: PlanWindow | undefined, at: Date = new Date()): boolean {
  if (!window) return true;
  const { day, time } = getLocalTime(at, window.timezone ?? 'UTC');
  if (window.days && !window.days.includes(day)) return false;
  if (!window.hours) return true;
  const { from, to } = window.hours;
  return from < to ? from <= time && time < to : time >= from || time < to;
}

/** The window in words, for a "skipped: outside the window" message. */
export function describeWindow(window: PlanWindow): string {
  const days = window.days ? window.days.join(',') : 'every day';
  const hours = window.hours ? ` ${window.hours.from}–${window.hours.to}` : '';
  return `${days}${hours} (${window.timezone ?? 'UTC'})`;
}
