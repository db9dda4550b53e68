// The history options of `faultline run` touch nothing when they cannot be used: --dry-run writes no
// store, and a bad --baseline exits 2 before anything starts.
import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FIXTURES, runFaultline } from './cli-helper.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-history-options-'));
  copyFileSync(join(FIXTURES, 'quick-window-kill.yaml'), join(work, 'quick.yaml'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

describe('run --history / --baseline', () => {
  test('--dry-run creates no history store', async () => {
    const result = await runFaultline(work, ['run', 'quick.yaml', '--dry-run', '--baseline', '5']);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(work, 'reports'))).toBe(false);
  }, 60_000);

  test('a bad --baseline or --baseline-margin, or --baseline without a store, exits 2 with nothing run', async () => {
    for (const [args, message] of [
      [['--baseline', '0'], /--baseline: expected a whole number of earlier runs from 1 to 1000; got 0/],
      [['--baseline', '2.5'], /--baseline: expected a whole number/],
      [['--baseline', '3', '--baseline-margin', '-1'], /--baseline-margin: expected a percentage/],
      [['--baseline', '3', '--history', 'off'], /--baseline needs the history store/],
    ] as const) {
      const result = await runFaultline(work, ['run', 'quick.yaml', ...args]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(message);
    }
    expect(existsSync(join(work, 'reports'))).toBe(false);
  }, 120_000);
});
