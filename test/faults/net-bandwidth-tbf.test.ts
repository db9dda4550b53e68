// net.bandwidth with mechanism: tbf — a token bucket on both ends of a real namespace's veth: bulk
// transfers slow to the rate, established connections too; rollback puts each root qdisc back.
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pickFreeSubnet } from '../../src/net/addresses.js';
import { createNamespace, removeByPrefix, spawnInNamespace } from '../../src/net/namespace.js';
import { acquireHostRulesetLock, createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../helpers/host-network-state.js';
import { createServiceTarget, openEchoConnection, roundTrip } from '../net/tcp-helpers.js';
import { disposeAll, prepareFault } from './fault-steps.js';

const prefix = createTestPrefix('net');
let before: HostNetworkState;
let releaseLock: (() => void) | undefined;
beforeAll(async () => {
  releaseLock = await acquireHostRulesetLock();
  before = await snapshotHostNetwork(prefix);
}, 700_000);
afterAll(async () => {
  try {
    await disposeAll();
    await removeByPrefix(prefix);
    await expectHostNetworkUnchanged(before, prefix);
  } finally {
    releaseLock?.();
  }
});


describe('net.bandwidth through tbf', () => {
  test('shapes both ends of the veth, established connections included, and rollback restores each root qdisc', async () => {
    const { base } = await pickFreeSubnet(process.pid + 53);
    const ns = await createNamespace(`${prefix}-bw`, `${base}.2/30`, { hostAddress: `${base}.1/30` });
    const port = 7300;
    const server = spawnInNamespace(ns.name, [process.execPath, '-e', `require('net').createServer((s) => s.pipe(s)).listen(${port}, '${ns.address}', () => console.log('up'))`]);
    try {
      await new Promise<void>((resolve) => server.stdout!.once('data', () => resolve()));
      const bytes = 'x'.repeat(96 * 1024);
      const established = await openEchoConnection(ns.address, port);
      const insideBefore = String((await execa('tc', ['-n', ns.name, 'qdisc', 'show', 'dev', 'eth0', 'root'])).stdout);
      const hostBefore = String((await execa('tc', ['qdisc', 'show', 'dev', ns.hostInterface, 'root'])).stdout);
      const target = createServiceTarget([{ name: 'dep', kind: 'tcp', host: ns.address, port, namespace: ns.name }]);
      await expect(prepareFault(createServiceTarget(), { type: 'net.bandwidth', to: { port }, bytesPerSecond: 4096, mechanism: 'tbf' })).rejects.toThrow(/on loopback use mechanism: proxy/);
      const fault = await prepareFault(target, { type: 'net.bandwidth', to: { service: 'dep' }, bytesPerSecond: 48 * 1024, mechanism: 'tbf' });
      expect((await fault.plan()).touches.join('\n')).toMatch(new RegExp(`mechanism: tbf .* on eth0 in namespace ${ns.name} .* host end ${ns.hostInterface}`));
      await fault.inject();
      try {
        expect(await fault.verify()).toBe(true);
        const started = performance.now();
        expect((await established.echo(bytes, 20_000)).length).toBe(bytes.length);
        expect(performance.now() - started).toBeGreaterThan(1200); // 96 KiB each way at 48 KiB/s, pipelined: ~2 s
      } finally {
        expect(await fault.rollback()).toMatchObject({ ok: true });
        established.close();
      }
      expect(String((await execa('tc', ['-n', ns.name, 'qdisc', 'show', 'dev', 'eth0', 'root'])).stdout)).toBe(insideBefore);
      expect(String((await execa('tc', ['qdisc', 'show', 'dev', ns.hostInterface, 'root'])).stdout)).toBe(hostBefore);
      const fast = performance.now();
      expect((await roundTrip(ns.address, port, bytes, 5000)).length).toBe(bytes.length);
      expect(performance.now() - fast).toBeLessThan(1000);
      expect(await fault.rollback()).toMatchObject({ ok: true });
    } finally {
      server.kill('SIGKILL');
      await server;
    }
  });
});
