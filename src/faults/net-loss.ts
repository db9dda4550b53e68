// Fault: packet loss to and from a dependency — a random share of its packets dropped by an nftables
// table of the fault's own (numgen; iptables `statistic` does the same), so TCP retransmits as on a lossy
// link. The kernel draws the randomness: the share is exact on average, the packets are not reproducible.
import { Type } from '@sinclair/typebox';
import { endpointParams, resolveEndpoint } from '../net/endpoints.js';
import { buildPartitionRules } from '../net/partition-rules.js';
import { assertNftUsable, getTableNameFor, injectTable, prepareTable, rollbackTable, verifyTable, type TableState } from '../net/table-lifecycle.js';
import { defineFault, type FaultContext } from './types.js';
import { defineFaultParams } from './params.js';

type LossParams = { to: Parameters<typeof resolveEndpoint>[0]; from?: Parameters<typeof resolveEndpoint>[0]; percent: number };

async function build(fault: LossParams, context: FaultContext, table: string) {
  const to = await resolveEndpoint(fault.to, context.target, 'fault.to');
  const from = fault.from === undefined ? undefined : await resolveEndpoint(fault.from, context.target, 'fault.from');
  return buildPartitionRules(table, to, from, 'drop', { lossPercent: fault.percent });
}

export default defineFault({
  type: 'net.loss',
  summary: 'drops a random share of the packets to and from a dependency (nftables numgen), both directions',
  params: defineFaultParams('net.loss', {
    to: endpointParams,
    from: Type.Optional(endpointParams),
    percent: Type.Number({ minimum: 0.01, maximum: 100, description: 'Share of packets dropped, in percent (0.01–100), each direction.' }),
  }, 'Drop a share of the packets to and from a dependency.'),
  async plan(fault, context) {
    await assertNftUsable('net.loss');
    const rules = await build(fault, context, 'fl_<intent>');
    return {
      touches: [`mechanism: nftables (numgen random) — table inet fl_<intent> in ${rules.namespace ? `namespace ${rules.namespace}` : 'the host namespace'}, ${rules.rules.length} rule(s); tc netem is not used (this kernel has none)`, ...rules.describe],
      guards: ['endpoints are loopback addresses or addresses inside a namespace the target owns', 'the table is named in the ledger before it is added; rollback deletes it and checks the ruleset against its snapshot'],
    };
  },
  async prepare(fault, context) {
    const rules = await build(fault, context, getTableNameFor(context.stateDir));
    return prepareTable('net.loss', rules.namespace, rules.family, rules.table, rules.script, rules.rules.length);
  },
  inject: async (_fault, _context, state) => injectTable(state as TableState),
  verify: async (_fault, _context, state) => verifyTable(state as TableState),
  rollback: async (_fault, _context, state) => rollbackTable(state as TableState),
});
