// IPv4 addresses faultline's namespaces may use: private ranges only, on subnets the host does not
// already route, so a namespace link can never shadow or join a real network.
import { execa } from 'execa';
import { InputError } from '../errors.js';

/** An IPv4 address with its prefix length, as numbers for comparisons. */
export interface Cidr {
  address: string;
  prefixLength: number;
  /** The address as an unsigned 32-bit number. */
  value: number;
  /** The subnet's first address as an unsigned 32-bit number. */
  network: number;
}

/** Parses "a.b.c.d" into its unsigned 32-bit value, or undefined. */
export function parseIpv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((part) => /^\d{1,3}$/.test(part) && Number(part) <= 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0) >>> 0;
}

/** Parses "a.b.c.d/n"; throws InputError naming the value otherwise. */
export function parseCidr(text: string): Cidr {
  const [address = '', length = ''] = text.split('/');
  const value = parseIpv4(address);
  const prefixLength = /^\d{1,2}$/.test(length) ? Number(length) : NaN;
  if (value === undefined || !(prefixLength >= 8 && prefixLength <= 30)) {
    throw new InputError(`address ${JSON.stringify(text)} is not an IPv4 address with a prefix length between /8 and /30`, { hint: 'write it like 10.203.7.2/24' });
  }
  return { address, prefixLength, value, network: maskOf(value, prefixLength) };
}

function maskOf(value: number, prefixLength: number): number {
  return prefixLength === 0 ? 0 : (value & (~0 << (32 - prefixLength))) >>> 0;
}

const PRIVATE_RANGES: readonly [string, number][] = [['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16]];

/** True when the whole subnet lies in 10/8, 172.16/12 or 192.168/16. */
export function isPrivateSubnet(cidr: Cidr): boolean {
  return PRIVATE_RANGES.some(([base, length]) => cidr.prefixLength >= length && maskOf(cidr.network, length) === parseIpv4(base));
}

/** True when two subnets share any address. */
export function overlaps(a: Cidr, b: Cidr): boolean {
  const length = Math.min(a.prefixLength, b.prefixLength);
  return maskOf(a.network, length) === maskOf(b.network, length);
}

/** True for 127.0.0.0/8. */
export function isLoopbackAddress(address: string): boolean {
  const value = parseIpv4(address);
  return value !== undefined && value >>> 24 === 127;
}

/** Refuses a subnet outside the private ranges or one the host already routes (a real network, or another test's). */
export async function assertPrivateSubnetFree(cidr: Cidr): Promise<void> {
  if (!isPrivateSubnet(cidr)) {
    throw new InputError(`subnet ${cidr.address}/${cidr.prefixLength} is not private`, { hint: 'namespace links use 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16 only' });
  }
  const result = await execa('ip', ['-j', '-4', 'route', 'show', 'table', 'all'], { reject: false, stdin: 'ignore' });
  const routes = result.exitCode === 0 && String(result.stdout).trim() ? (JSON.parse(String(result.stdout)) as { dst?: string; type?: string; dev?: string }[]) : [];
  for (const route of routes) {
    if (!route.dst || route.dst === 'default' || (route.type && route.type !== 'unicast')) continue;
    const dst = route.dst.includes('/') ? route.dst : `${route.dst}/32`;
    const [address = '', length = '32'] = dst.split('/');
    const value = parseIpv4(address);
    if (value === undefined) continue;
    if (overlaps(cidr, { address, prefixLength: Number(length), value, network: maskOf(value, Number(length)) })) {
      throw new InputError(`subnet ${cidr.address}/${cidr.prefixLength} overlaps ${route.dst} already routed on this host (dev ${route.dev ?? '?'})`, {
        hint: 'pick another private subnet (pickFreeSubnet finds one)',
      });
    }
  }
}

/** Finds a free 10.x.y.0/24 for a test or fleet, starting at a pseudo-random point so parallel callers rarely collide. */
export async function pickFreeSubnet(seed = process.pid): Promise<{ base: string; prefixLength: 24 }> {
  for (let i = 0; i < 256; i += 1) {
    const n = (seed * 7919 + i * 104729) % 65_024; // 10.1.0.0 – 10.254.255.0
    const base = `10.${1 + Math.floor(n / 256)}.${n % 256}`;
    try {
      await assertPrivateSubnetFree(parseCidr(`${base}.1/24`));
      return { base, prefixLength: 24 };
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
    }
  }
  throw new InputError('no free 10.x.y.0/24 subnet found for a namespace network');
}
