// net/namespace: real namespaces with veth links on a private bridge — reachable from the host and from
// each other, never routed outside, and removed without a trace by prefix.
import { connect } from 'node:net';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { pickFreeSubnet } from '../../src/net/addresses.js';
import {
  createBridge, createNamespace, deleteNamespace, listNamespacePids, listNamespaces, removeByPrefix, runInNamespace, spawnInNamespace,
} from '../../src/net/namespace.js';
import { createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from '../helpers/host-network-state.js';

const prefix = createTestPrefix('net');
let before: HostNetworkState;
let base: string;

// A one-line echo server for `node -e`, listening on host:port.
const echoServer = (host: string, port: number) => `require('net').createServer((s) => s.pipe(s)).listen(${port}, '${host}', () => console.log('listening'))`;
const echoClient = (host: string, port: number) =>
  `const s = require('net').connect(${port}, '${host}', () => s.end('ping')); s.on('data', (d) => process.stdout.write(d)); s.on('error', (e) => { console.error(e.message); process.exit(3); }); setTimeout(() => process.exit(4), 3000).unref();`;

function echoFromHost(host: string, port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, host, () => socket.end('ping'));
    let data = '';
    socket.on('data', (chunk) => (data += String(chunk)));
    socket.on('end', () => resolve(data));
    socket.on('error', reject);
    socket.setTimeout(3000, () => socket.destroy(new Error('timed out')));
  });
}

beforeAll(async () => {
  before = await snapshotHostNetwork(prefix);
  base = (await pickFreeSubnet()).base;
});

afterAll(async () => {
  await removeByPrefix(prefix);
  await expectHostNetworkUnchanged(before, prefix);
});

describe('network namespaces', () => {
  test('two namespaces on a bridge reach each other and the host, have no default route, and vanish by prefix', async () => {
    const bridge = await createBridge(`${prefix}-br`, `${base}.1/24`);
    const a = await createNamespace(`${prefix}-a`, `${base}.2/24`, { bridge });
    const b = await createNamespace(`${prefix}-b`, `${base}.3/24`, { bridge });
    expect(a).toMatchObject({ address: `${base}.2`, interface: 'eth0', bridge: bridge.name });
    expect(await listNamespaces(prefix)).toEqual([`${prefix}-a`, `${prefix}-b`]);

    const server = spawnInNamespace(a.name, [process.execPath, '-e', echoServer(a.address, 7001)]);
    try {
      await new Promise<void>((resolve, reject) => {
        server.stdout!.once('data', () => resolve());
        setTimeout(() => reject(new Error('echo server did not start')), 10_000);
      });
      expect(await listNamespacePids(a.name)).toContain(server.pid);
      const fromB = await runInNamespace(b.name, [process.execPath, '-e', echoClient(a.address, 7001)]);
      expect(fromB.stdout).toBe('ping');
      expect(await echoFromHost(a.address, 7001)).toBe('ping');
      // Not listening in b's namespace: the server is really inside a.
      const local = await runInNamespace(b.name, [process.execPath, '-e', echoClient('127.0.0.1', 7001)], { reject: false });
      expect(local.exitCode).toBe(3);
      const routes = await runInNamespace(a.name, ['ip', '-4', 'route', 'show']);
      expect(routes.stdout).not.toMatch(/default/);
      expect(routes.stdout).toContain(`${base}.0/24 dev eth0`);
    } finally {
      server.kill('SIGKILL');
      await server;
    }

    // Deleting a namespace kills what still runs inside and takes its veth with it.
    const lingering = spawnInNamespace(b.name, ['sleep', '60']);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await deleteNamespace(b.name);
    await lingering;
    expect(lingering.killed || lingering.exitCode !== 0).toBe(true);
    expect(await listNamespaces(prefix)).toEqual([`${prefix}-a`]);

    const removed = await removeByPrefix(prefix);
    expect(removed).toContain(`namespace ${prefix}-a`);
    expect(removed.some((line) => line.includes(`${prefix}-br`))).toBe(true);
    expect(await listNamespaces(prefix)).toEqual([]);
    await expectHostNetworkUnchanged(before, prefix);
  });

  test('a point-to-point namespace reaches the host address on its link', async () => {
    const ns = await createNamespace(`${prefix}-p`, `${base}.10/30`, { hostAddress: `${base}.9/30` });
    expect(ns.hostAddress).toBe(`${base}.9`);
    const ping = await runInNamespace(ns.name, [process.execPath, '-e', echoClient(`${base}.9`, 1)], { reject: false });
    // Port 1 on the host: refused (exit 3 with ECONNREFUSED), which proves the host answered over the link.
    expect(ping.stderr).toMatch(/ECONNREFUSED/);
    await deleteNamespace(ns.name);
    expect(await listNamespaces(prefix)).toEqual([]);
  });

  test('names that faultline could not find again, public and already-routed subnets are refused', async () => {
    await expect(createNamespace('test1', `${base}.2/24`, { hostAddress: `${base}.1/24` })).rejects.toThrow(/not one faultline can own/);
    await expect(removeByPrefix('')).rejects.toThrow(/not one faultline can own/);
    await expect(createNamespace(`${prefix}-x`, '8.8.8.2/24', { hostAddress: '8.8.8.1/24' })).rejects.toThrow(/is not private/);
    await expect(createBridge(`${prefix}-lo`, '127.0.0.2/8')).rejects.toThrow(/is not private/);
    const bridge = await createBridge(`${prefix}-br2`, `${base}.1/24`);
    await expect(createBridge(`${prefix}-br3`, `${base}.129/25`)).rejects.toThrow(/overlaps/);
    await removeByPrefix(prefix);
    expect(bridge.name).toMatch(/^fl[0-9a-f]{10}br$/);
    expect(await listNamespaces(prefix)).toEqual([]);
  });
});

describe('the host network snapshot helper', () => {
  test('fails on a namespace, a link and a firewall table left behind, and ignores other tests\' namespaces', async () => {
    const own = createTestPrefix('net');
    const start = await snapshotHostNetwork(own);
    const ns = await createNamespace(`${own}-left`, `${base}.6/30`, { hostAddress: `${base}.5/30` });
    await expect(expectHostNetworkUnchanged(start, own)).rejects.toThrow(/netns|links/);
    await deleteNamespace(ns.name);
    const table = `fl_${own.slice(-6)}_leak`;
    await execa('nft', ['add', 'table', 'inet', table]);
    try {
      await expect(expectHostNetworkUnchanged(start, own)).rejects.toThrow(/nft/);
    } finally {
      await execa('nft', ['delete', 'table', 'inet', table]);
    }
    const other = await createNamespace('fl-other-zz9' + own.slice(-4), `${base}.14/30`, { hostAddress: `${base}.13/30` });
    try {
      await expectHostNetworkUnchanged(start, own);
    } finally {
      await deleteNamespace(other.name);
    }
  });
});
