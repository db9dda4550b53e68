// net.latency, net.bandwidth, net.reset, net.blackhole and net.loss against real TCP servers on loopback
// and in a real namespace: the fault is felt by new connections, rollback removes the redirect (ruleset
// byte-identical) and stops the proxy.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pickFreeSubnet } from '../../src/net/addresses.js';
import { createNamespace, removeByPrefix, runInNamespace, spawnInNamespace } from '../../src/net/namespace.js';
import { snapshotRuleset } from '../../src/net/nft.js';
import { findProxyProcesses } from '../../src/net/proxy-process.js';
import { createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../helpers/host-network-state.js';
import { createServiceTarget, openEchoConnection, roundTrip, startEchoServer } from '../net/tcp-helpers.js';
import { disposeAll, prepareFault, type FaultParams } from './fault-steps.js';

const prefix = createTestPrefix('net');
let before: HostNetworkState;
let echo: Awaited<ReturnType<typeof startEchoServer>>;

beforeAll(async () => {
  before = await snapshotHostNetwork(prefix);
  echo = await startEchoServer();
});
afterAll(async () => {
  await echo?.close();
  await disposeAll();
  await removeByPrefix(prefix);
  await expectHostNetworkUnchanged(before, prefix);
});

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

/** Injects, runs `check` while in effect, rolls back and checks everything is as before. */
async function withFault(fault: FaultParams, check: () => Promise<void>): Promise<void> {
  const rulesetBefore = await snapshotRuleset(undefined);
  const prepared = await prepareFault(createServiceTarget(), fault);
  const plan = (await prepared.plan()).touches.join('\n');
  expect(plan).toMatch(/mechanism: /);
  try {
    await prepared.inject();
    expect(await prepared.verify()).toBe(true);
    await check();
  } finally {
    const result = await prepared.rollback();
    expect(result, result.detail).toMatchObject({ ok: true });
  }
  expect(await snapshotRuleset(undefined)).toBe(rulesetBefore);
  expect(findProxyProcesses(prepared.context.stateDir)).toEqual([]);
  expect(await prepared.rollback()).toMatchObject({ ok: true });
}

describe('proxy faults on loopback', () => {
  test('net.latency delays new connections both ways; an established one keeps going direct', async () => {
    const established = await openEchoConnection('127.0.0.1', echo.port);
    try {
      await withFault({ type: 'net.latency', to: { port: echo.port }, latencyMs: 150, jitterMs: 20, seed: 7 }, async () => {
        const slow = await timed(() => roundTrip('127.0.0.1', echo.port, 'slow', 5000));
        expect(slow.value).toBe('slow');
        expect(slow.ms).toBeGreaterThanOrEqual(250); // 2 × (150 − 20) at least
        const direct = await timed(() => established.echo('fast'));
        expect(direct.ms).toBeLessThan(130);
      });
      const after = await timed(() => roundTrip('127.0.0.1', echo.port));
      expect(after.ms).toBeLessThan(130);
    } finally {
      established.close();
    }
  });

  test('net.reset resets new connections; net.blackhole accepts them and never answers', async () => {
    await withFault({ type: 'net.reset', to: { port: echo.port } }, async () => {
      await expect(roundTrip('127.0.0.1', echo.port, 'x', 3000)).rejects.toThrow(/ECONNRESET/);
    });
    await withFault({ type: 'net.reset', to: { port: echo.port }, afterBytes: 4 }, async () => {
      const connection = await openEchoConnection('127.0.0.1', echo.port);
      expect(await connection.echo('ab')).toBe('ab');
      await expect(connection.echo('cdef', 1000)).rejects.toThrow(/no echo/);
      connection.close();
    });
    await withFault({ type: 'net.blackhole', to: { port: echo.port } }, async () => {
      const connection = await openEchoConnection('127.0.0.1', echo.port); // the connect itself succeeds
      await expect(connection.echo('x', 800)).rejects.toThrow(/no echo/);
      connection.close();
    });
  });

  test('net.bandwidth slows a bulk transfer to about its rate', async () => {
    const bytes = 'x'.repeat(96 * 1024);
    const direct = await timed(() => roundTrip('127.0.0.1', echo.port, bytes, 5000));
    expect(direct.ms).toBeLessThan(1000);
    await withFault({ type: 'net.bandwidth', to: { port: echo.port }, bytesPerSecond: 48 * 1024 }, async () => {
      const slow = await timed(() => roundTrip('127.0.0.1', echo.port, bytes, 20_000));
      expect(slow.value.length).toBe(bytes.length);
      expect(slow.ms).toBeGreaterThan(1500); // 96 KiB at 48 KiB/s: ~2 s
    });
  });

  test('net.loss at 100% drops every packet of the port, established connections included', async () => {
    const established = await openEchoConnection('127.0.0.1', echo.port);
    try {
      await withFault({ type: 'net.loss', to: { port: echo.port }, percent: 100 }, async () => {
        await expect(established.echo('x', 800)).rejects.toThrow(/no echo/);
        await expect(roundTrip('127.0.0.1', echo.port, 'y', 800)).rejects.toThrow(/no answer/);
      });
    } finally {
      established.close();
    }
  });
});

describe('proxy faults in a namespace', () => {
  test('net.latency on a server in its own namespace delays clients from the host and from inside', async () => {
    const { base } = await pickFreeSubnet(process.pid + 31);
    const ns = await createNamespace(`${prefix}-lat`, `${base}.2/30`, { hostAddress: `${base}.1/30` });
    const port = 7200;
    const server = spawnInNamespace(ns.name, [process.execPath, '-e', `require('net').createServer((s) => s.pipe(s)).listen(${port}, '${ns.address}', () => console.log('up'))`]);
    try {
      await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
      const nsBefore = await snapshotRuleset(ns.name);
      const target = createServiceTarget([{ name: 'dep', kind: 'tcp', host: ns.address, port, namespace: ns.name }]);
      const fault = await prepareFault(target, { type: 'net.latency', to: { service: 'dep' }, latencyMs: 200 });
      await fault.inject();
      try {
        expect(await fault.verify()).toBe(true);
        const fromHost = await timed(() => roundTrip(ns.address, port, 'h', 5000));
        expect(fromHost.value).toBe('h');
        expect(fromHost.ms).toBeGreaterThanOrEqual(350);
        const inside = await timed(() => runInNamespace(ns.name, [process.execPath, '-e',
          `const s = require('net').connect(${port}, '${ns.address}', () => s.write('i')); s.on('data', () => process.exit(0)); setTimeout(() => process.exit(4), 5000);`]));
        expect(inside.value.exitCode).toBe(0);
        expect(inside.ms).toBeGreaterThanOrEqual(350);
      } finally {
        expect(await fault.rollback()).toMatchObject({ ok: true });
      }
      expect(await snapshotRuleset(ns.name)).toBe(nsBefore);
      expect((await timed(() => roundTrip(ns.address, port))).ms).toBeLessThan(200);
    } finally {
      server.kill('SIGKILL');
      await server;
    }
  });
});
