// The uids an instance may run as: runAsUid only 0 or the reserved range (the healer and stop kill that
// uid's strays), and uids /etc/subuid or /etc/subgid give to users' containers are never picked.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { InputError } from '../../../src/errors.js';
import { resolveReferenceOptions } from '../../../src/targets/reference/options.js';
import { isInRanges, readSubordinateRanges } from '../../../src/targets/reference/uid-range.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

describe('runAsUid', () => {
  test('accepts 0 and the reserved range only, and says why', () => {
    expect(resolveReferenceOptions({ runAsUid: 0 }).runAsUid).toBe(0);
    expect(resolveReferenceOptions({ runAsUid: 600_000 }).runAsUid).toBe(600_000);
    expect(resolveReferenceOptions({ runAsUid: 699_999 }).runAsUid).toBe(699_999);
    for (const uid of [1000, 65_534, 599_999, 700_000, 4_294_967_294, 1.5]) {
      expect(() => resolveReferenceOptions({ runAsUid: uid })).toThrow(InputError);
      expect(() => resolveReferenceOptions({ runAsUid: uid })).toThrow(/runAsUid: expected 0 \(stay root\) or a uid from 600000 to 699999, got .*must not be an account's/);
    }
  });
});

describe('subordinate uid ranges', () => {
  test('are read from subuid/subgid files (by name or uid; bad lines and missing files ignored)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-subuid-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'subuid'), 'alice:100000:65536\n1001:650000:1000\n# comment\nbroken\nbob:x:5\n');
    writeFileSync(join(dir, 'subgid'), 'carol:690000:10\n');
    const ranges = readSubordinateRanges([join(dir, 'subuid'), join(dir, 'subgid'), join(dir, 'missing')]);
    expect(ranges).toEqual([
      { start: 100_000, count: 65_536 },
      { start: 650_000, count: 1000 },
      { start: 690_000, count: 10 },
    ]);
    expect(isInRanges(650_000, ranges)).toBe(true);
    expect(isInRanges(650_999, ranges)).toBe(true);
    expect(isInRanges(651_000, ranges)).toBe(false);
    expect(isInRanges(690_009, ranges)).toBe(true);
    expect(isInRanges(600_000, ranges)).toBe(false);
  });
});
