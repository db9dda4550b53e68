// The shape every proxy-based net fault shares (net.latency, net.bandwidth, net.reset, net.blackhole):
// resolve the endpoints, record the table and the proxy in the ledger, start the proxy, add the redirect,
// and on rollback remove the redirect (ruleset checked against its snapshot) and stop the proxy.
import { Type, type TProperties } from '@sinclair/typebox';
import type { FaultContext, FaultPlan, FaultState, RollbackResult } from '../faults/types.js';
import { endpointParams, resolveEndpoint, type EndpointParams } from './endpoints.js';
import type { FaultProxyOptions } from './fault-proxy.js';
import { addTable } from './nft.js';
import { findProxyProcesses, startProxyProcess, stopProxyProcess } from './proxy-process.js';
import { buildRedirectRules, getProxyUid } from './redirect-rules.js';
import { assertNftUsable, getTableNameFor, prepareTable, rollbackTable, verifyTable, type TableState } from './table-lifecycle.js';

/** The endpoint fields every proxy fault takes. */
export const proxyEndpointProperties = {
  to: endpointParams,
  from: Type.Optional(endpointParams),
} satisfies TProperties;

/** What a proxy fault saves: its table (as every table fault) plus the proxy's options and uid. */
interface ProxyState extends TableState {
  proxy: { options: FaultProxyOptions; uid: number; upstreamHost: string; upstreamPort: number; listenHost: string };
}

type EndpointFields = { to: EndpointParams; from?: EndpointParams };

async function resolveBoth(fault: EndpointFields, context: FaultContext) {
  const to = await resolveEndpoint(fault.to, context.target, 'fault.to');
  const from = fault.from === undefined ? undefined : await resolveEndpoint(fault.from, context.target, 'fault.from');
  return { to, from };
}

/** The plan of a proxy fault: which mechanism, what it redirects, what the proxy does. */
export async function planProxyFault(type: string, fault: EndpointFields, context: FaultContext, what: string): Promise<FaultPlan> {
  await assertNftUsable(type);
  const { to, from } = await resolveBoth(fault, context);
  const rules = buildRedirectRules('fl_<intent>', to, from, '<port>', 0);
  return {
    touches: [
      `mechanism: userspace fault proxy (tc netem is not used: this kernel has none, and one mechanism everywhere keeps figures comparable) — ${what}`,
      `redirect: nftables table ip fl_<intent> (nat) in ${rules.namespace ? `namespace ${rules.namespace}` : 'the host namespace'}, ${rules.rules.length} rule(s)`,
      ...rules.describe,
    ],
    guards: [
      'endpoints are loopback addresses or addresses inside a namespace the target owns; nothing else is ever matched',
      'the table and the proxy are named in the ledger before either exists; rollback deletes the table (ruleset checked against its snapshot) and stops the proxy',
    ],
  };
}

/** Prepare: endpoints resolved, table named after the intent, ruleset snapshotted, proxy options fixed. */
export async function prepareProxyFault(type: string, fault: EndpointFields, context: FaultContext, options: FaultProxyOptions): Promise<FaultState> {
  const { to, from } = await resolveBoth(fault, context);
  const table = getTableNameFor(context.stateDir);
  const uid = getProxyUid(table);
  const rules = buildRedirectRules(table, to, from, '<port>', uid);
  const state = await prepareTable(type, rules.namespace, rules.family, table, '', rules.rules.length);
  const proxy = { options, uid, upstreamHost: to.host, upstreamPort: to.port!, listenHost: rules.listenHost };
  return { ...state, proxy, to, ...(from ? { from } : {}) } satisfies ProxyState & Record<string, unknown>;
}

/** Inject: the proxy first (so nothing is ever redirected to a port no one listens on), then the redirect. */
export async function injectProxyFault(context: FaultContext, raw: FaultState): Promise<void> {
  const state = raw as unknown as ProxyState & { to: Awaited<ReturnType<typeof resolveEndpoint>>; from?: Awaited<ReturnType<typeof resolveEndpoint>> };
  const namespace = state.namespace ?? undefined;
  const port = await startProxyProcess({
    stateDir: context.stateDir,
    ...(namespace ? { namespace } : {}),
    address: { listenHost: state.proxy.listenHost, listenPort: 0, upstreamHost: state.proxy.upstreamHost, upstreamPort: state.proxy.upstreamPort },
    options: state.proxy.options,
    uid: state.proxy.uid,
  });
  const rules = buildRedirectRules(state.table, state.to, state.from, port, state.proxy.uid);
  try {
    await addTable(namespace, rules.script);
  } catch (error) {
    await stopProxyProcess(context.stateDir);
    throw error;
  }
}

/** Verify: the redirect holds its rules and the proxy runs. */
export async function verifyProxyFault(context: FaultContext, state: FaultState): Promise<boolean> {
  return (await verifyTable(state as unknown as TableState)) && findProxyProcesses(context.stateDir).length > 0;
}

/** Rollback: redirect removed first (new connections go direct again), then the proxy stopped. */
export async function rollbackProxyFault(context: FaultContext, state: FaultState): Promise<RollbackResult> {
  const table = await rollbackTable(state as unknown as TableState);
  const stopped = await stopProxyProcess(context.stateDir);
  if (!stopped) return { ok: false, detail: `${table.detail}; the fault proxy (pids ${findProxyProcesses(context.stateDir).join(', ')}) did not stop` };
  return { ok: table.ok, detail: `${table.detail}; fault proxy stopped` };
}
