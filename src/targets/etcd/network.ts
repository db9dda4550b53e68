// Where the members live on the network: one network namespace per member ("namespace-hosts" on a
// private host-side bridge, from src/net/namespace.ts) when root, else 127.0.0.1 with free ports.
// Everything a cluster's network makes carries its prefix (fl-etcd-<random>), so stop removes it all.
import { createHash, randomBytes } from 'node:crypto';
import { pickFreeSubnet } from '../../net/addresses.js';
import { createBridge, createNamespace, listHostLinks, listNamespaces, removeByPrefix } from '../../net/namespace.js';
import type { EtcdNetwork, MemberPlacement } from './layout.js';
import { pickFreePorts } from './ports.js';

/** etcd's registered ports, used inside namespaces (each member has an address of its own there). */
export const CLIENT_PORT = 2379;
export const PEER_PORT = 2380;

/** How members are placed: own namespaces (needs root and `ip`), or loopback ports. */
export type NetworkMode = 'namespaces' | 'loopback';

/** The mode used when none is asked for: namespaces as root, loopback otherwise. */
export function getDefaultNetworkMode(): NetworkMode {
  return process.getuid?.() === 0 ? 'namespaces' : 'loopback';
}

/** A fresh prefix for one cluster's namespaces and links. */
export function chooseNetworkPrefix(): string {
  return `fl-etcd-${randomBytes(4).toString('hex')}`;
}

/** Creates one namespace per member on a bridge of a free private /24; on failure removes what it made. */
export async function placeInNamespaces(prefix: string, names: readonly string[]): Promise<{ placements: MemberPlacement[]; network: EtcdNetwork }> {
  // Seeded by the prefix: parallel clusters start their search at different subnets.
  const subnet = await pickFreeSubnet(createHash('sha256').update(prefix).digest().readUInt32BE(0) % 1_000_003);
  try {
    const bridge = await createBridge(`${prefix}-br`, `${subnet.base}.1/24`);
    const placements: MemberPlacement[] = [];
    for (const [index, name] of names.entries()) {
      const host = await createNamespace(`${prefix}-${name}`, `${subnet.base}.${11 + index}/24`, { bridge });
      placements.push({ host: host.address, clientPort: CLIENT_PORT, peerPort: PEER_PORT, namespace: host.name });
    }
    return { placements, network: { mode: 'namespaces', prefix, subnet: `${subnet.base}.0/24`, bridge: bridge.name } };
  } catch (error) {
    await removeByPrefix(prefix).catch(() => []);
    throw error;
  }
}

/** 127.0.0.1 with two free ports per member. */
export async function placeOnLoopback(size: number): Promise<MemberPlacement[]> {
  const ports = await pickFreePorts(size * 2);
  return Array.from({ length: size }, (_, index) => ({ host: '127.0.0.1', clientPort: ports[index * 2]!, peerPort: ports[index * 2 + 1]! }));
}

/** Removes the cluster's namespaces and links; returns what is still there afterwards. */
export async function removeNetwork(network: EtcdNetwork): Promise<string[]> {
  if (network.mode !== 'namespaces') return [];
  await removeByPrefix(network.prefix);
  const left = [...(await listNamespaces(network.prefix)).map((name) => `network namespace ${name}`), ...(await listHostLinks(network.prefix)).map((link) => `link ${link.ifname}`)];
  return left;
}
