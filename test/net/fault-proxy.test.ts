// net/fault-proxy in-process: a plain relay with no fault, seeded jitter that keeps order and repeats per
// seed, a seeded share of resets, and a blackhole that accepts and never answers.
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startFaultProxy, type FaultProxyOptions } from '../../src/net/fault-proxy.js';
import { openEchoConnection, roundTrip, startEchoServer } from './tcp-helpers.js';

let echo: Awaited<ReturnType<typeof startEchoServer>>;
beforeAll(async () => {
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo.close();
});

async function withProxy<T>(options: FaultProxyOptions, work: (port: number, stats: { resets: number; blackholed: number; connections: number }) => Promise<T>): Promise<T> {
  const proxy = await startFaultProxy({ listenHost: '127.0.0.1', listenPort: 0, upstreamHost: '127.0.0.1', upstreamPort: echo.port }, options);
  try {
    return await work(proxy.port, proxy.stats);
  } finally {
    await proxy.close();
  }
}

describe('the fault proxy', () => {
  test('with no fault it relays bytes unchanged, in order', async () => {
    await withProxy({}, async (port) => {
      const text = Array.from({ length: 2000 }, (_, i) => `${i},`).join('');
      expect(await roundTrip('127.0.0.1', port, text)).toBe(text);
    });
  });

  test('jitter keeps the order of chunks, and one seed chooses the same resets every time', async () => {
    await withProxy({ latencyMs: 20, jitterMs: 19, seed: 3 }, async (port) => {
      const connection = await openEchoConnection('127.0.0.1', port);
      const replies: string[] = [];
      for (let i = 0; i < 20; i += 1) replies.push(await connection.echo(`<${i}>`, 3000));
      connection.close();
      expect(replies).toEqual(Array.from({ length: 20 }, (_, i) => `<${i}>`));
    });
    const pattern = async () => withProxy({ resetProbability: 0.5, seed: 42 }, async (port) => {
      const outcomes: string[] = [];
      for (let i = 0; i < 12; i += 1) outcomes.push(await roundTrip('127.0.0.1', port, 'x', 2000).then(() => 'ok', () => 'reset'));
      return outcomes.join(' ');
    });
    const first = await pattern();
    expect(first).toMatch(/ok/);
    expect(first).toMatch(/reset/);
    expect(await pattern()).toBe(first);
  });

  test('a blackhole accepts the connection, takes the bytes and never answers', async () => {
    await withProxy({ blackholeProbability: 1 }, async (port, stats) => {
      const socket = connect(port, '127.0.0.1');
      await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
      let answered = false;
      socket.on('data', () => (answered = true));
      socket.write('hello?');
      await new Promise((resolve) => setTimeout(resolve, 500));
      socket.destroy();
      expect(answered).toBe(false);
      expect(stats.blackholed).toBe(1);
    });
  });
});
