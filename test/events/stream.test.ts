// The run's event stream: every listener sees every event in the order it happened; emitSoon stamps now
// and delivers after the turn; a listener that throws is dropped without stopping the others.
import { describe, expect, test } from 'vitest';
import { RunEventStream } from '../../src/events/stream.js';
import type { RunEvent } from '../../src/events/types.js';

const note = (message: string) => ({ message });

describe('RunEventStream', () => {
  test('emitSoon delivers after the current turn, stamped when emitted; emit and close deliver what is queued first', async () => {
    const seen: [string, number][] = [];
    const stream = new RunEventStream([(event) => seen.push([event.type === 'note' ? event.message : event.type, event.t])]);
    const soon = stream.emitSoon('note', note('a'));
    expect(seen).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(seen).toEqual([['a', soon.t]]);
    stream.emitSoon('note', note('b'));
    stream.emitSoon('note', note('c'));
    stream.emit('note', note('d'));
    stream.emitSoon('note', note('e'));
    stream.close();
    expect(seen.map(([message]) => message)).toEqual(['a', 'b', 'c', 'd', 'e']);
    // Times follow the order of emission.
    expect(seen.map(([, t]) => t)).toEqual([...seen.map(([, t]) => t)].sort((x, y) => x - y));
    stream.emit('note', note('after close'));
    expect(seen).toHaveLength(5);
  });

  test('a listener that throws is dropped and reported; the others get every event; close is called once', () => {
    const good: RunEvent[] = [];
    let closed = 0;
    const stream = new RunEventStream([
      () => { throw new Error('disk full'); },
      { onEvent: (event) => good.push(event), close: () => { closed += 1; } },
    ]);
    stream.emit('note', note('one'));
    stream.emit('note', note('two'));
    stream.close();
    stream.close();
    expect(good.map((event) => event.type === 'note' && event.message)).toEqual(['one', 'two']);
    expect(stream.listenerErrors).toEqual(['a listener failed on note and was dropped: disk full']);
    expect(closed).toBe(1);
  });
});
