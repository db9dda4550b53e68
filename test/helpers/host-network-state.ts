// Snapshots the host's network state (iptables-save, nft list ruleset, ip netns list, ip link, tc qdisc
// show) so a test can fail on anything it left behind. Other engineers run tests in parallel: objects that
// are visibly someone else's faultline test objects (namespaces and links named `fl-…` or faultline tables
// and chains of another run) are left out, everything else must match line for line; counters are masked.
import { execa } from 'execa';
import { expect } from 'vitest';

/** One snapshot: each source's lines after filtering and masking. */
export type HostNetworkState = Record<'iptables' | 'nft' | 'netns' | 'links' | 'qdiscs', string[]>;

async function run(command: string, args: string[]): Promise<string> {
  const result = await execa(command, args, { reject: false, stdin: 'ignore' });
  // A missing tool reads as an empty state: the comparison still holds for the others.
  return result.exitCode === 0 ? String(result.stdout) : `(${command} ${args.join(' ')} failed: exit ${result.exitCode})`;
}

/**
 * Takes a snapshot. `ownPrefix` is the test's own name prefix (e.g. `fl-net-1234`): objects with that prefix
 * are kept (they must be gone afterwards), other `fl-…` objects and other faultline tables are ignored.
 */
export async function snapshotHostNetwork(ownPrefix: string): Promise<HostNetworkState> {
  const [iptables, nft, netns, links, qdiscs] = await Promise.all([
    run('iptables-save', []),
    run('nft', ['list', 'ruleset']),
    run('ip', ['netns', 'list']),
    run('ip', ['-o', 'link', 'show']),
    run('tc', ['qdisc', 'show']),
  ]);
  // Another test's objects carry its own `fl-<who>-<random>` name (namespaces, link aliases); faultline's
  // firewall tables (fl_…) carry no test name, so they are never ignored.
  const foreign = (text: string) => /\bfl-[a-z0-9]+-[a-z0-9]/.test(text) && !text.includes(ownPrefix);
  return {
    iptables: iptables.split('\n').filter((line) => !line.startsWith('#')).map((line) => line.replace(/\[\d+:\d+\]/g, '[*:*]')).filter((line) => !foreign(line)),
    nft: filterNftTables(nft, foreign).map((line) => line.replace(/counter packets \d+ bytes \d+/g, 'counter')),
    netns: netns.split('\n').filter(Boolean).map((line) => line.replace(/ \(id: \d+\)/, '')).filter((line) => !foreign(line)),
    links: links.split('\n').filter(Boolean).map(maskLink).filter((line) => !foreign(line)),
    // A qdisc on a namespace link's host end names only the interface; it goes with the link, which is checked.
    qdiscs: qdiscs.split('\n').filter(Boolean).filter((line) => !/dev fl[0-9a-f]{10}/.test(line)),
  };
}

// Interface indexes and link-netns ids change as others create links; the rest of the line must not.
function maskLink(line: string): string {
  return line.replace(/^\d+: /, '').replace(/link-netns \S+/, 'link-netns *').replace(/link-netnsid \d+/, 'link-netnsid *').replace(/\\\s+/g, ' ');
}

// Drops whole `table … { … }` blocks that belong to someone else's test (by their name), keeps the rest.
function filterNftTables(text: string, foreign: (line: string) => boolean): string[] {
  const out: string[] = [];
  let skipping = false;
  for (const line of text.split('\n')) {
    if (/^table /.test(line)) skipping = foreign(line);
    if (!skipping && line.trim()) out.push(line);
    if (line === '}') skipping = false;
  }
  return out;
}

/** Fails the test with a readable diff when the host's network state differs from `before`. */
export async function expectHostNetworkUnchanged(before: HostNetworkState, ownPrefix: string): Promise<void> {
  const after = await snapshotHostNetwork(ownPrefix);
  for (const key of Object.keys(before) as (keyof HostNetworkState)[]) {
    expect(after[key], `host network state (${key}) changed: something was left behind`).toEqual(before[key]);
  }
}

/** A prefix unique to this test process, for namespaces, links and firewall objects: fl-<who>-<random>. */
export function createTestPrefix(who: string): string {
  return `fl-${who}-${Math.random().toString(36).slice(2, 8)}`;
}
