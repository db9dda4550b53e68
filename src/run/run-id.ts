// Run ids sort by time and never collide between parallel runs.
import { randomBytes } from 'node:crypto';

/** A run id such as 20261122-193012-a3f9. */
export function createRunId(date: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  const stamp = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}-${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}`;
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}
