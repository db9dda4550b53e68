import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { JournalWriter } from '../../src/journal/writer.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function lines(path: string): { type: string; n?: number; t: number }[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

describe('JournalWriter.writeSoon (journal writes off the sampling path)', () => {
  test('nothing is written in the turn that queued it; the next turn writes it with the time it was queued', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-journal-'));
    const path = join(dir, 'journal.jsonl');
    const journal = new JournalWriter(path);
    const before = Date.now();
    const event = journal.writeSoon('probe', { n: 1 });
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(lines(path)).toEqual([{ ...event }]);
    expect(event.t).toBeGreaterThanOrEqual(before - 1);
    expect(event.t).toBeLessThan(before + 25);
    journal.close();
  });

  test('order is kept: a synchronous write and close write what is queued first', () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-journal-'));
    const path = join(dir, 'journal.jsonl');
    const journal = new JournalWriter(path);
    journal.writeSoon('probe', { n: 1 });
    journal.writeSoon('detect', { n: 2 });
    journal.write('recover', { n: 3 });
    journal.writeSoon('probe', { n: 4 });
    journal.close();
    expect(lines(path).map((event) => [event.type, event.n])).toEqual([['probe', 1], ['detect', 2], ['recover', 3], ['probe', 4]]);
  });
});
