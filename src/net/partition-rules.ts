// The nftables table that cuts traffic between two endpoints, and the honest description of what it cuts.
// Drop rules match every packet (no conntrack state), so established connections are cut as well as new ones.
import { GuardError } from '../errors.js';
import type { ResolvedEndpoint } from './endpoints.js';

/** How a cut behaves: `drop` (packets vanish: peers time out) or `reject` (TCP resets: peers fail at once). */
export type CutMode = 'drop' | 'reject';

/** Where a partition's table goes, its script, and one line per rule saying what it cuts. */
export interface PartitionRules {
  /** The namespace whose ruleset holds the table (undefined = the host's). */
  namespace?: string;
  family: 'inet';
  table: string;
  script: string;
  rules: string[];
  /** Plain words: what is cut, for plans and the journal. */
  describe: string[];
}

/** Builds the table that cuts `from` (or anyone, when undefined) off `to`. */
export function buildPartitionRules(table: string, to: ResolvedEndpoint, from: ResolvedEndpoint | undefined, mode: CutMode, options: { lossPercent?: number } = {}): PartitionRules {
  // net.loss: the same matches, but only a random share of packets (the kernel's random, not seeded) is dropped.
  const share = options.lossPercent === undefined ? 10_000 : Math.round(options.lossPercent * 100);
  const sample = share >= 10_000 ? '' : `numgen random mod 10000 < ${share} `;
  const verdict = sample + (mode === 'drop' ? 'drop' : to.port === undefined ? 'reject' : 'reject with tcp reset');
  // The resets a reject sends are local packets too: they must pass the other rule, or the peer never sees them.
  const spareResets = mode === 'reject' && to.port !== undefined ? ' tcp flags & rst == 0' : '';
  const port = (direction: 'dport' | 'sport') => (to.port === undefined ? '' : ` tcp ${direction} ${to.port}${spareResets}`);
  const what = to.port === undefined ? `every packet to and from ${to.host}` : `every TCP packet to and from ${to.host}:${to.port}`;
  const how = options.lossPercent !== undefined ? `dropped at random, ${options.lossPercent}% of packets (TCP retransmits: peers see latency spikes and stalls)` : mode === 'drop' ? 'dropped (peers see timeouts)' : 'rejected with a reset (peers fail at once)';
  let input: string[] = [];
  let output: string[] = [];
  const describe: string[] = [];
  if (to.namespace === undefined || from?.namespace === to.namespace) {
    // Both ends in one namespace (the host's loopback, or inside one namespace): every packet passes the output hook on lo.
    if (to.port === undefined) {
      throw new GuardError(`fault.to: ${to.label} has no port; on loopback a partition must name the dependency's port (cutting a whole loopback address would cut faultline off too)`, { final: true });
    }
    if (from && from.namespace !== to.namespace) throw new GuardError(`fault.from: ${from.label} is in another namespace than ${to.label}; it cannot reach that loopback address anyway`, { final: true });
    const peer = from ? { to: ` ip saddr ${from.host}`, back: ` ip daddr ${from.host}` } : { to: '', back: '' };
    output = [`oifname "lo" ip daddr ${to.host}${port('dport')}${peer.to} ${verdict}`, `oifname "lo" ip saddr ${to.host}${port('sport')}${peer.back} ${verdict}`];
    describe.push(`${what} on loopback${from && from.host !== to.host ? ` from ${from.host}` : ''} is ${how}: all new and established connections to ${to.label}${from && from.host !== to.host ? '' : ', whoever makes them (faultline\'s own probes included) — on one loopback address the two sides cannot be told apart'}`);
  } else {
    // The dependency lives in its own namespace: its ruleset cuts what arrives on eth0 (and its answers).
    const peer = from?.namespace !== undefined ? { in: ` ip saddr ${from.host}`, out: ` ip daddr ${from.host}` } : { in: '', out: '' };
    input = [`iifname != "lo"${peer.in} ip daddr ${to.host}${port('dport')} ${verdict}`];
    output = [`oifname != "lo"${peer.out} ip saddr ${to.host}${port('sport')} ${verdict}`];
    describe.push(from?.namespace !== undefined
      ? `${what} exchanged with ${from.label} is ${how}, inside namespace ${to.namespace}`
      : `${what} from outside namespace ${to.namespace} (the host and every other namespace, faultline's probes included) is ${how}`);
  }
  describe.push(`already-established connections are ${options.lossPercent === undefined ? 'cut' : 'hit'} as well as new ones (the rules match every packet, not only new connections)`);
  const chain = (name: string, hook: string, rules: string[]) =>
    rules.length === 0 ? '' : `  chain ${name} {\n    type filter hook ${hook} priority -10; policy accept;\n${rules.map((rule) => `    ${rule}\n`).join('')}  }\n`;
  const script = `table inet ${table} {\n${chain('input', 'input', input)}${chain('output', 'output', output)}}\n`;
  return { ...(to.namespace === undefined ? {} : { namespace: to.namespace }), family: 'inet', table, script, rules: [...input, ...output], describe };
}
