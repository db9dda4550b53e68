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

// The host's ruleset is one global thing: tests that change it, or compare it byte for byte, take turns.
const RULESET_LOCK = '/tmp/faultline-test-host-ruleset.lock';

/**
 * Waits for the host-ruleset lock (a directory holding its owner's pid; a dead owner's lock is taken over)
 * and returns its release. Take it in beforeAll of any test file that adds tables to the host's ruleset
 * or compares it exactly (snapshotHostNetwork included), and release it in afterAll.
 */
export async function acquireHostRulesetLock(timeoutMs = 600_000): Promise<() => void> {
  const { mkdirSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(RULESET_LOCK);
      writeFileSync(`${RULESET_LOCK}/pid`, String(process.pid));
      return () => rmSync(RULESET_LOCK, { recursive: true, force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let owner = NaN;
    try {
      owner = Number(readFileSync(`${RULESET_LOCK}/pid`, 'utf8'));
    } catch {
      // Being written or removed right now.
    }
    if (Number.isInteger(owner) && owner > 0 && !isAlive(owner)) rmSync(RULESET_LOCK, { recursive: true, force: true });
    if (performance.now() > deadline) throw new Error(`the host-ruleset lock ${RULESET_LOCK} was not free within ${timeoutMs} ms (held by pid ${owner})`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
