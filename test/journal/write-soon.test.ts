// The journal as a listener: events emitted off the sampling path (emitSoon) reach the file on the next
// turn, stamped when they happened, and in order with the others.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { RunEventStream } from '../../src/events/stream.js';
import { createJournalListener } from '../../src/journal/journal-listener.js';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function lines(path: string): { type: string; n?: number; t: number }[] {
  return readFileSync(path, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line));
}

const data = (n: number) => ({ scenario: 's', run: 1, n });

describe('the journal listener (journal writes off the sampling path)', () => {
  test('nothing is written in the turn that emitted it; the next turn writes it with the time it was emitted', async () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-journal-'));
    const path = join(dir, 'journal.jsonl');
    const stream = new RunEventStream([createJournalListener(path)]);
    const before = Date.now();
    const event = stream.emitSoon('probe', data(1));
    expect(readFileSync(path, 'utf8')).toBe('');
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(lines(path)).toEqual([{ ...event }]);
    expect(event.t).toBeGreaterThanOrEqual(before - 1);
    expect(event.t).toBeLessThan(before + 25);
    stream.close();
  });

  test('order is kept: a synchronous emit and close write what is queued first', () => {
    dir = mkdtempSync(join(tmpdir(), 'fl-journal-'));
    const path = join(dir, 'journal.jsonl');
    const stream = new RunEventStream([createJournalListener(path)]);
    stream.emitSoon('probe', data(1));
    stream.emitSoon('detect', data(2));
    stream.emit('recover', { ...data(3), rtoMs: 1 });
    stream.emitSoon('probe', data(4));
    stream.close();
    expect(lines(path).map((event) => [event.type, event.n])).toEqual([['probe', 1], ['detect', 2], ['recover', 3], ['probe', 4]]);
  });
});
