// The nftables nat table that sends new connections to a dependency through the fault proxy instead:
// REDIRECT of the dependency's port to the proxy's, for every socket except the proxy's own uid (so its
// upstream connection goes straight through). NAT is decided per connection: already-established
// connections keep going direct, only new ones meet the fault.
import { GuardError } from '../errors.js';
import type { ResolvedEndpoint } from './endpoints.js';

/** Where the redirect table goes, its script and rules, and what it means in plain words. */
export interface RedirectRules {
  namespace?: string;
  family: 'ip';
  table: string;
  script: string;
  rules: string[];
  /** Where the proxy must listen: loopback on the host, any address inside a namespace (it arrives on eth0 or lo). */
  listenHost: string;
  describe: string[];
}

/** Builds the redirect of `to` (from `from` only, when given in another namespace) to proxyPort, sparing proxyUid. */
export function buildRedirectRules(table: string, to: ResolvedEndpoint, from: ResolvedEndpoint | undefined, proxyPort: number | '<port>', proxyUid: number): RedirectRules {
  if (to.port === undefined) throw new GuardError(`fault.to: ${to.label} has no port; the fault proxy sits in front of one TCP port`, { final: true });
  // Only a connection's first SYN is redirected: when conntrack first sees an established connection
  // mid-stream (no stateful rule was loaded before), its packets must not be sent to a proxy that never
  // knew it — they get a NAT binding of nothing and keep going direct.
  const match = `ip daddr ${to.host} tcp dport ${to.port} tcp flags & (syn | ack) == syn`;
  const local = `meta skuid != ${proxyUid} ${match} redirect to :${proxyPort}`;
  let output: string[];
  let prerouting: string[] = [];
  const describe: string[] = [];
  if (to.namespace === undefined) {
    if (from?.namespace !== undefined) throw new GuardError(`fault.from: ${from.label} cannot reach the host's loopback address ${to.host}`, { final: true });
    output = [`oifname "lo" ${local}`];
    describe.push(`new TCP connections to ${to.label} on loopback, from every process but the proxy (faultline's own probes included), go through the fault proxy`);
  } else if (from?.namespace !== undefined && from.namespace !== to.namespace) {
    output = [];
    prerouting = [`ip saddr ${from.host} ${match} redirect to :${proxyPort}`];
    describe.push(`new TCP connections from ${from.label} to ${to.label} go through the fault proxy (inside namespace ${to.namespace})`);
  } else {
    output = [local];
    prerouting = [`${match} redirect to :${proxyPort}`];
    describe.push(`new TCP connections to ${to.label}, from the host, every other namespace and inside ${to.namespace}, go through the fault proxy (inside namespace ${to.namespace})`);
  }
  describe.push('already-established connections keep going direct (NAT redirects new connections only): a client that keeps a pool open meets the fault when it reconnects; connections made through the proxy are reset when the fault rolls back');
  const chain = (name: string, rules: string[]) =>
    rules.length === 0 ? '' : `  chain ${name} {\n    type nat hook ${name} priority -100; policy accept;\n${rules.map((rule) => `    ${rule}\n`).join('')}  }\n`;
  return {
    ...(to.namespace === undefined ? {} : { namespace: to.namespace }),
    family: 'ip',
    table,
    script: `table ip ${table} {\n${chain('output', output)}${chain('prerouting', prerouting)}}\n`,
    rules: [...output, ...prerouting],
    listenHost: to.namespace === undefined ? '127.0.0.1' : '0.0.0.0',
    describe,
  };
}

/** The uid the proxy of one fault runs as: high, unnamed, derived from its table so two proxies never share one. */
export function getProxyUid(table: string): number {
  let hash = 0;
  for (const char of table) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
  return 2_100_000_000 + (hash % 1_000_000);
}
