// net.partition: real nftables tables on loopback and inside real namespaces — new and established
// connections cut, rollback restores the ruleset exactly, and only loopback or the target's namespaces are accepted.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pickFreeSubnet } from '../../src/net/addresses.js';
import { createBridge, createNamespace, removeByPrefix, runInNamespace, spawnInNamespace } from '../../src/net/namespace.js';
import { snapshotRuleset } from '../../src/net/nft.js';
import { createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../helpers/host-network-state.js';
import { createServiceTarget, openEchoConnection, roundTrip, startEchoServer } from '../net/tcp-helpers.js';
import { disposeAll, prepareFault } from './fault-steps.js';

const prefix = createTestPrefix('net');
let before: HostNetworkState;

beforeAll(async () => {
  before = await snapshotHostNetwork(prefix);
});
afterAll(async () => {
  await disposeAll();
  await removeByPrefix(prefix);
  await expectHostNetworkUnchanged(before, prefix);
});

describe('net.partition on loopback', () => {
  test('cuts new and established connections to the port, and rollback leaves the ruleset byte-identical', async () => {
    const echo = await startEchoServer();
    const established = await openEchoConnection('127.0.0.1', echo.port);
    try {
      expect(await established.echo('a')).toBe('a');
      const rulesetBefore = await snapshotRuleset(undefined);
      const fault = await prepareFault(createServiceTarget(), { type: 'net.partition', to: { host: '127.0.0.1', port: echo.port } });
      const plan = await fault.plan();
      expect(plan.touches.join('\n')).toMatch(/mechanism: nftables/);
      expect(plan.touches.join('\n')).toMatch(/whoever makes them \(faultline's own probes included\)/);
      expect(plan.touches.join('\n')).toMatch(/already-established connections are cut/);
      expect(fault.state).toMatchObject({ mechanism: 'nftables', namespace: null, table: expect.stringMatching(/^fl_[a-z0-9]+$/) });
      await fault.inject();
      expect(await fault.verify()).toBe(true);
      await expect(roundTrip('127.0.0.1', echo.port, 'new', 800)).rejects.toThrow(/no answer/);
      await expect(established.echo('b', 800)).rejects.toThrow(/no echo/);
      // Another port on loopback is untouched.
      const other = await startEchoServer();
      expect(await roundTrip('127.0.0.1', other.port)).toBe('ping');
      await other.close();

      const result = await fault.rollback();
      expect(result).toMatchObject({ ok: true, detail: expect.stringMatching(/ruleset identical to before/) });
      expect(await snapshotRuleset(undefined)).toBe(rulesetBefore);
      expect(await roundTrip('127.0.0.1', echo.port)).toBe('ping');
      expect(await fault.rollback()).toMatchObject({ ok: true });
      expect(await fault.verify()).toBe(false);
    } finally {
      established.close();
      await echo.close();
    }
  });

  test('reject mode fails connections at once instead of letting them time out', async () => {
    const echo = await startEchoServer();
    try {
      const fault = await prepareFault(createServiceTarget(), { type: 'net.partition', to: { port: echo.port }, mode: 'reject' });
      await fault.inject();
      const started = performance.now();
      await expect(roundTrip('127.0.0.1', echo.port, 'x', 5000)).rejects.toThrow(/ECONNREFUSED|ECONNRESET/);
      expect(performance.now() - started).toBeLessThan(2500);
      expect(await fault.rollback()).toMatchObject({ ok: true });
      expect(await roundTrip('127.0.0.1', echo.port)).toBe('ping');
    } finally {
      await echo.close();
    }
  });

  test('refuses addresses beyond loopback, namespaces the target does not own, unknown services and a loopback cut without a port', async () => {
    const target = createServiceTarget([{ name: 'db', kind: 'tcp', host: '127.0.0.1', port: 5 }]);
    await expect(prepareFault(target, { type: 'net.partition', to: { host: '10.1.2.3', port: 80 } })).rejects.toThrow(/not a loopback address/);
    await expect(prepareFault(target, { type: 'net.partition', to: { host: '10.1.2.3', port: 80, namespace: `${prefix}-nobody` } })).rejects.toThrow(/not a network namespace target net-test owns/);
    await expect(prepareFault(target, { type: 'net.partition', to: { service: 'cache' } })).rejects.toThrow(/declares no service "cache".*|its services: db/);
    await expect(prepareFault(target, { type: 'net.partition', to: { host: '127.0.0.1' } })).rejects.toThrow(/has no port/);
  });
});

describe('net.partition between namespaces', () => {
  test('cuts one client namespace off a server namespace while others still reach it', async () => {
    const { base } = await pickFreeSubnet(process.pid + 17);
    const bridge = await createBridge(`${prefix}-br`, `${base}.1/24`);
    const server = await createNamespace(`${prefix}-srv`, `${base}.2/24`, { bridge });
    const cut = await createNamespace(`${prefix}-cut`, `${base}.3/24`, { bridge });
    const other = await createNamespace(`${prefix}-oth`, `${base}.4/24`, { bridge });
    const port = 7100;
    const child = spawnInNamespace(server.name, [process.execPath, '-e', `require('net').createServer((s) => s.pipe(s)).listen(${port}, '${server.address}', () => console.log('up'))`]);
    try {
      await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
      const client = (ns: string) => runInNamespace(ns, [process.execPath, '-e',
        `const s = require('net').connect(${port}, '${server.address}', () => s.write('hi')); s.on('data', (d) => { process.stdout.write(d); process.exit(0); }); s.on('error', (e) => { console.error(e.code); process.exit(3); }); setTimeout(() => process.exit(4), 1000);`], { reject: false });
      expect((await client(cut.name)).stdout).toBe('hi');
      const rulesetBefore = await snapshotRuleset(server.name);
      const hostBefore = await snapshotRuleset(undefined);
      const target = createServiceTarget([
        { name: 'db', kind: 'tcp', host: server.address, port, namespace: server.name },
        { name: 'worker', kind: 'tcp', host: cut.address, port: 1, namespace: cut.name },
        { name: 'other', kind: 'tcp', host: other.address, port: 1, namespace: other.name },
      ]);
      const fault = await prepareFault(target, { type: 'net.partition', from: { service: 'worker' }, to: { service: 'db' } });
      expect(fault.state).toMatchObject({ namespace: server.name });
      await fault.inject();
      expect(await fault.verify()).toBe(true);
      expect((await client(cut.name)).exitCode).toBe(4);
      expect((await client(other.name)).stdout).toBe('hi');
      expect(await roundTrip(server.address, port)).toBe('ping'.slice(0, 4));
      // The host's ruleset was never touched: the table lives in the server's namespace.
      expect(await snapshotRuleset(undefined)).toBe(hostBefore);
      expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringMatching(/identical to before/) });
      expect(await snapshotRuleset(server.name)).toBe(rulesetBefore);
      expect((await client(cut.name)).stdout).toBe('hi');
    } finally {
      child.kill('SIGKILL');
      await child;
    }
  });
});
