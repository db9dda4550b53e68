// A cron expression as systemd timer OnCalendar= lines (systemd.time(7)). Cron OR-s a restricted day of
// month with a restricted day of week, systemd AND-s them: such an expression becomes two lines, whose
// union is what cron means.
import type { CronExpression, CronField } from './cron-expression.js';

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** The OnCalendar= values of an expression in a time zone (appended, as systemd ≥ 235 reads it). */
export function toOnCalendar(expression: CronExpression, timezone: string): string[] {
  const time = `${formatField(expression.hour, 2)}:${formatField(expression.minute, 2)}:00`;
  const month = formatField(expression.month, 2);
  const line = (dayOfWeek: CronField, dayOfMonth: CronField) => {
    const days = dayOfWeek.all ? '' : `${dayOfWeek.values.map((day) => WEEKDAYS[day]).join(',')} `;
    return `${days}*-${month}-${formatField(dayOfMonth, 2)} ${time} ${timezone}`;
  };
  const all: CronField = { all: true };
  if (!expression.dayOfMonth.all && !expression.dayOfWeek.all) return [line(all, expression.dayOfMonth), line(expression.dayOfWeek, all)];
  return [line(expression.dayOfWeek, expression.dayOfMonth)];
}

function formatField(field: CronField, width: number): string {
  return field.all ? '*' : field.values.map((value) => String(value).padStart(width, '0')).join(',');
}
