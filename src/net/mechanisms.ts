// Which mechanism each network fault uses here, found without changing anything: nftables for rules
// (partition, loss, the proxy's redirect), the userspace fault proxy for latency, bandwidth, resets and
// blackholes, and what the kernel says about tc netem (read from its config or modules, never by trying).
import { existsSync, readFileSync } from 'node:fs';
import { release } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { isNftAvailable } from './nft.js';

/** The mechanism a net fault will use, or why none is available. */
export interface MechanismChoice {
  available: boolean;
  /** One line: the mechanism and why it was chosen ("nftables table …", "userspace fault proxy …"). */
  mechanism: string;
  /** When not available: what is missing and how to get it. */
  refusal?: string;
}

let netemCache: { present: boolean; detail: string } | undefined;

/** Whether this kernel has tc netem, from /sys/module, the kernel config or its modules (nothing is loaded or added). */
export function detectNetem(): { present: boolean; detail: string } {
  if (netemCache) return netemCache;
  const kernel = release();
  if (existsSync('/sys/module/sch_netem')) return (netemCache = { present: true, detail: 'sch_netem is loaded' });
  const config = readKernelConfig(kernel);
  if (config !== undefined) {
    const line = config.split('\n').find((entry) => /CONFIG_NET_SCH_NETEM[= ]/.test(entry));
    const present = /=(y|m)$/.test(line ?? '');
    return (netemCache = { present, detail: present ? `kernel ${kernel}: ${line}` : `kernel ${kernel} has no netem (${line?.trim() ?? 'CONFIG_NET_SCH_NETEM absent'})` });
  }
  const modules = `/lib/modules/${kernel}`;
  const present = ['', '.xz', '.zst', '.gz'].some((ext) => existsSync(`${modules}/kernel/net/sched/sch_netem.ko${ext}`));
  return (netemCache = { present, detail: present ? `kernel ${kernel} ships sch_netem` : `kernel ${kernel}: no sch_netem module and no kernel config to say otherwise` });
}

function readKernelConfig(kernel: string): string | undefined {
  try {
    return gunzipSync(readFileSync('/proc/config.gz')).toString('utf8');
  } catch {
    try {
      return readFileSync(`/boot/config-${kernel}`, 'utf8');
    } catch {
      return undefined;
    }
  }
}

/** Why the proxy is used for timing faults, in the words plans print. */
export function describeNetemChoice(): string {
  const netem = detectNetem();
  return netem.present
    ? `tc netem is not used even though the kernel has it (${netem.detail}): the proxy works the same in every namespace and on loopback, so figures stay comparable across hosts`
    : `tc netem is not available (${netem.detail})`;
}

/** The mechanism of a net fault type, or a refusal naming what to install. */
export async function chooseMechanism(faultType: string): Promise<MechanismChoice> {
  const nft = await isNftAvailable();
  const refusal = nft.ok ? undefined : `${faultType} needs nftables (${nft.detail}): install nftables (apt-get install nftables); iptables alone is not used, because iptables-nft cannot remove the tables it creates and the ruleset could never be verified identical after rollback`;
  const mechanism = ['net.partition', 'net.loss'].includes(faultType)
    ? `nftables: a table of the fault's own${faultType === 'net.loss' ? ' dropping a random share of packets (numgen)' : ''}; ${describeNetemChoice()}`
    : `userspace fault proxy, new connections redirected to it by an nftables nat table of the fault's own; ${describeNetemChoice()}`;
  return { available: nft.ok, mechanism, ...(refusal ? { refusal } : {}) };
}
