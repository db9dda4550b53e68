// Network namespaces faultline creates for tests and simulated hosts ("namespace-hosts"): each has its own
// address on a veth link, reachable from the host and (through a host-side bridge) from its siblings, and
// never routed anywhere else — no default route inside, no forwarding or NAT turned on outside.
// Everything made here is named by the caller's prefix (namespaces by name, host-side links by their
// `alias`), so `removeByPrefix` finds and removes all of it, even after a crash.
import { createHash } from 'node:crypto';
import { execa, type ResultPromise } from 'execa';
import { InputError, TargetError } from '../errors.js';
import { assertPrivateSubnetFree, parseCidr, type Cidr } from './addresses.js';

/** What a namespace was created with: its name, its address inside and the host-side end of its link. */
export interface NamespaceHost {
  /** `ip netns` name. */
  name: string;
  /** Address inside the namespace (no prefix length), e.g. 10.203.7.2. */
  address: string;
  /** Prefix length of the link's subnet. */
  prefixLength: number;
  /** The interface inside the namespace (always `eth0`). */
  interface: string;
  /** The host-side veth end (alias = the namespace name). */
  hostInterface: string;
  /** The bridge the host end is attached to, when the namespace shares a network with siblings. */
  bridge?: string;
  /** The host's own address on the link (point-to-point links only; on a bridge it is the bridge's). */
  hostAddress?: string;
}

/** A host-side bridge joining several namespaces on one private subnet. */
export interface NamespaceBridge {
  name: string;
  /** The host's address on the bridge, e.g. 10.203.7.1/24. */
  address: string;
}

/** How a new namespace is linked: to a bridge made by createBridge, or point-to-point to the host. */
export type NamespaceLinkOptions = { bridge: NamespaceBridge } | { hostAddress: string };

/** Where faultline's own objects can be told apart from anything else on the host. */
export const OWNED_NAME = /^fl-[a-z0-9][a-z0-9.-]{1,40}$/;

// Interface names are at most 15 bytes: a short, stable hash of the owning name.
function deriveInterfaceName(owner: string, suffix: string): string {
  return `fl${createHash('sha256').update(owner).digest('hex').slice(0, 10)}${suffix}`;
}

/** Refuses a name faultline would not recognise as its own later (cleanup finds objects by prefix). */
export function assertOwnedName(name: string, what = 'namespace'): void {
  if (!OWNED_NAME.test(name)) {
    throw new InputError(`${what} name ${JSON.stringify(name)} is not one faultline can own`, {
      hint: 'use a name starting with "fl-" followed by lower-case letters, digits, dots or dashes (at most 43 characters), unique to your test or fleet, e.g. fl-fleet-1234-h1',
    });
  }
}

/** Runs `ip` with arguments; failures become TargetError with ip's own message. */
export async function runIp(args: readonly string[]): Promise<string> {
  const result = await execa('ip', [...args], { reject: false, stdin: 'ignore' });
  if (result.exitCode !== 0) throw new TargetError(`ip ${args.join(' ')} failed: ${String(result.stderr).trim() || `exit ${result.exitCode}`}`);
  return String(result.stdout);
}

/** Creates a bridge on the host with the host's address on it (no uplink: nothing on it is routed out). */
export async function createBridge(name: string, address: string): Promise<NamespaceBridge> {
  assertOwnedName(name, 'bridge');
  const cidr = parseCidr(address);
  await assertPrivateSubnetFree(cidr);
  const ifname = deriveInterfaceName(name, 'br');
  await runIp(['link', 'add', ifname, 'type', 'bridge']);
  try {
    await runIp(['link', 'set', ifname, 'alias', name]);
    await runIp(['addr', 'add', address, 'dev', ifname]);
    await runIp(['link', 'set', ifname, 'up']);
  } catch (error) {
    await runIp(['link', 'del', ifname]).catch(() => {});
    throw error;
  }
  return { name: ifname, address };
}

/**
 * Creates namespace `name` with `eth0` at `address` (CIDR, e.g. 10.203.7.2/24) on a veth whose host end is
 * attached to `link.bridge` or carries `link.hostAddress`. Loopback inside is up; there is no default route.
 * On any failure what was made is removed again.
 */
export async function createNamespace(name: string, address: string, link: NamespaceLinkOptions): Promise<NamespaceHost> {
  assertOwnedName(name);
  const cidr = parseCidr(address);
  if ('hostAddress' in link) {
    const host = parseCidr(link.hostAddress);
    if (host.network !== cidr.network || host.prefixLength !== cidr.prefixLength) {
      throw new InputError(`namespace ${name}: host address ${link.hostAddress} and namespace address ${address} are not on one subnet`);
    }
    await assertPrivateSubnetFree(cidr);
  } else if (!sameSubnet(parseCidr(link.bridge.address), cidr)) {
    throw new InputError(`namespace ${name}: address ${address} is not on bridge ${link.bridge.name}'s subnet ${link.bridge.address}`);
  }
  const hostIf = deriveInterfaceName(name, 'h');
  const tempIf = deriveInterfaceName(name, 'n');
  await runIp(['netns', 'add', name]);
  try {
    await runIp(['link', 'add', hostIf, 'type', 'veth', 'peer', 'name', tempIf]);
    await runIp(['link', 'set', hostIf, 'alias', name]);
    await runIp(['link', 'set', tempIf, 'netns', name]);
    await runIp(['-n', name, 'link', 'set', tempIf, 'name', 'eth0']);
    await runIp(['-n', name, 'addr', 'add', address, 'dev', 'eth0']);
    await runIp(['-n', name, 'link', 'set', 'eth0', 'up']);
    await runIp(['-n', name, 'link', 'set', 'lo', 'up']);
    if ('bridge' in link) await runIp(['link', 'set', hostIf, 'master', link.bridge.name]);
    else await runIp(['addr', 'add', link.hostAddress, 'dev', hostIf]);
    await runIp(['link', 'set', hostIf, 'up']);
  } catch (error) {
    await deleteNamespace(name).catch(() => {});
    throw error;
  }
  return {
    name,
    address: cidr.address,
    prefixLength: cidr.prefixLength,
    interface: 'eth0',
    hostInterface: hostIf,
    ...('bridge' in link ? { bridge: link.bridge.name } : { hostAddress: parseCidr(link.hostAddress).address }),
  };
}

function sameSubnet(a: Cidr, b: Cidr): boolean {
  return a.network === b.network && a.prefixLength === b.prefixLength;
}

/**
 * Deletes a namespace: kills the processes still inside it (they can only be ones started in a namespace
 * faultline owns), removes it, and with it its veth pair. Missing is fine (idempotent).
 */
export async function deleteNamespace(name: string): Promise<void> {
  assertOwnedName(name);
  const pids = await listNamespacePids(name);
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
  if ((await listNamespaces()).includes(name)) await runIp(['netns', 'del', name]);
  // The host end dies with its peer, but only once the namespace is really gone (its last process reaped).
  const hostIf = deriveInterfaceName(name, 'h');
  const deadline = performance.now() + 5000;
  while ((await listHostLinks()).some((link) => link.ifname === hostIf)) {
    if (performance.now() > deadline) {
      await runIp(['link', 'del', hostIf]).catch(() => {});
      break;
    }
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Deletes a bridge made by createBridge (by its interface name); missing is fine. */
export async function deleteBridge(bridge: NamespaceBridge | string): Promise<void> {
  const ifname = typeof bridge === 'string' ? bridge : bridge.name;
  if ((await listHostLinks()).some((link) => link.ifname === ifname)) await runIp(['link', 'del', ifname]);
}

/** Pids of the processes inside a namespace (empty when it does not exist). */
export async function listNamespacePids(name: string): Promise<number[]> {
  if (!(await listNamespaces()).includes(name)) return [];
  const out = await runIp(['netns', 'pids', name]);
  return out.split('\n').filter(Boolean).map(Number).filter((pid) => Number.isInteger(pid) && pid > 1 && pid !== process.pid);
}

/** Every namespace `ip netns` knows, optionally only those whose name starts with `prefix`. */
export async function listNamespaces(prefix = ''): Promise<string[]> {
  const out = await runIp(['-j', 'netns', 'list']);
  const entries = out.trim() ? (JSON.parse(out) as { name: string }[]) : [];
  return entries.map((entry) => entry.name).filter((name) => name.startsWith(prefix)).sort();
}

/** A host link as `ip -j link` reports it (the fields faultline reads). */
export interface HostLink {
  ifname: string;
  ifalias?: string;
  link_type?: string;
}

/** The host's links; with `prefix`, only those faultline made for objects whose name starts with it. */
export async function listHostLinks(prefix?: string): Promise<HostLink[]> {
  const links = JSON.parse(await runIp(['-j', 'link', 'show'])) as HostLink[];
  return prefix === undefined ? links : links.filter((link) => link.ifalias?.startsWith(prefix));
}

/** Runs a command inside a namespace to completion (argument array, never a shell string); rejects on a non-zero exit unless `reject: false`. */
export async function runInNamespace(
  name: string,
  command: readonly string[],
  options: { timeoutMs?: number; reject?: boolean; input?: string; env?: Record<string, string> } = {},
): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  assertOwnedName(name);
  const result = await execa('ip', ['netns', 'exec', name, ...command], {
    reject: false,
    timeout: options.timeoutMs ?? 30_000,
    ...(options.input === undefined ? { stdin: 'ignore' as const } : { input: options.input }),
    ...(options.env ? { env: options.env } : {}),
  });
  const out = { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
  if (out.exitCode !== 0 && options.reject !== false) {
    throw new TargetError(`${command.join(' ')} in namespace ${name} failed (exit ${out.exitCode}): ${out.stderr.trim()}`);
  }
  return out;
}

/** Starts a long-running command inside a namespace (a server); the caller owns the returned process and must end it. */
export function spawnInNamespace(name: string, command: readonly string[], options: { env?: Record<string, string>; cwd?: string } = {}): ResultPromise {
  assertOwnedName(name);
  return execa('ip', ['netns', 'exec', name, ...command], { reject: false, stdin: 'ignore', buffer: false, ...options });
}

/**
 * Removes every namespace whose name starts with `prefix` and every host link faultline made for such a
 * name (veth ends, bridges), returning what it removed. The prefix must itself be an owned name
 * (`fl-…`), so a typo can never sweep the host.
 */
export async function removeByPrefix(prefix: string): Promise<string[]> {
  assertOwnedName(prefix, 'prefix');
  const removed: string[] = [];
  for (const name of await listNamespaces(prefix)) {
    await deleteNamespace(name);
    removed.push(`namespace ${name}`);
  }
  for (const link of await listHostLinks(prefix)) {
    if (!link.ifname.startsWith('fl')) continue; // Only links faultline named.
    await runIp(['link', 'del', link.ifname]).catch(() => {}); // A veth end may vanish with its peer meanwhile.
    removed.push(`link ${link.ifname} (${link.ifalias})`);
  }
  return removed;
}
