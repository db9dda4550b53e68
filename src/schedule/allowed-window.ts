// Whether a moment lies inside a plan's allowed window, read in the window's own time zone.
import type { AllowedWindow } from './plan-schedule.js';

const DAY_NAMES = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** Inside (or no window), or outside with the reason in words. */
export function checkAllowedWindow(window: AllowedWindow | undefined, at: Date): { inside: true } | { inside: false; reason: string } {
  if (!window) return { inside: true };
  const { day, minute, text } = getLocalTime(at, window.timezone);
  if (window.hours) {
    const { startMinute, endMinute } = window.hours;
    // A window that wraps past midnight (22:00-02:00) belongs to the day it starts on.
    const wraps = endMinute <= startMinute;
    const inHours = wraps ? minute >= startMinute || minute < endMinute : minute >= startMinute && minute < endMinute;
    const windowDay = wraps && minute < endMinute ? (day + 6) % 7 : day;
    if (!inHours) return { inside: false, reason: `${text} ${window.timezone} is outside the allowed hours ${window.hours.text}` };
    if (window.days && !window.days.includes(windowDay)) return { inside: false, reason: `${text} ${window.timezone} is on ${DAY_NAMES[windowDay]}, not an allowed day (${window.days.map((index) => DAY_NAMES[index]).join(', ')})` };
    return { inside: true };
  }
  if (window.days && !window.days.includes(day)) return { inside: false, reason: `${text} ${window.timezone} is on ${DAY_NAMES[day]}, not an allowed day (${window.days.map((index) => DAY_NAMES[index]).join(', ')})` };
  return { inside: true };
}

// Day of week, minute of day and a readable "Wed 14:05" of `at` in a time zone.
function getLocalTime(at: Date, timezone: string): { day: number; minute: number; text: string } {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: timezone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at).map((part) => [part.type, part.value]));
  const day = DAY_NAMES.indexOf(String(parts.weekday));
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return { day, minute, text: `${parts.weekday} ${parts.hour}:${parts.minute}` };
}
