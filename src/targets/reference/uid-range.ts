// The uids an instance may run as: a reserved range no account or container mapping should use, since
// the healer reaps and stop kills processes of an instance's uid.
import { readFileSync } from 'node:fs';

/** The uids picked for instances: high enough to belong to no account. Stop kills leftovers by uid only in this range. */
export const UID_BASE = 600_000;
export const UID_SPAN = 100_000;

/** True for a uid in the reserved range (600000–699999). */
export function isReservedUid(uid: number): boolean {
  return Number.isInteger(uid) && uid >= UID_BASE && uid < UID_BASE + UID_SPAN;
}

/**
 * The uid and gid ranges /etc/subuid and /etc/subgid hand to users' containers (`name:start:count`):
 * a uid inside one may run someone's rootless container, so it is never picked. Missing files: none.
 */
export function readSubordinateRanges(files: readonly string[] = ['/etc/subuid', '/etc/subgid']): Array<{ start: number; count: number }> {
  const ranges: Array<{ start: number; count: number }> = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const [, start, count] = line.trim().split(':');
      const range = { start: Number(start), count: Number(count) };
      if (Number.isInteger(range.start) && Number.isInteger(range.count) && range.count > 0) ranges.push(range);
    }
  }
  return ranges;
}

/** True when `uid` falls in one of `ranges`. */
export function isInRanges(uid: number, ranges: ReadonlyArray<{ start: number; count: number }>): boolean {
  return ranges.some((range) => uid >= range.start && uid < range.start + range.count);
}
