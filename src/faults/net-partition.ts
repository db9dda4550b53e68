// Fault: a network partition between two endpoints (the API and PostgreSQL, two etcd members), cut by
// an nftables table of the fault's own in the dependency's network namespace — or on loopback, in the
// host's. The table is named in the ledger before it is added; rollback deletes it and checks the ruleset.
import { Type } from '@sinclair/typebox';
import { endpointParams, resolveEndpoint } from '../net/endpoints.js';
import { buildPartitionRules } from '../net/partition-rules.js';
import { assertNftUsable, getTableNameFor, injectTable, prepareTable, rollbackTable, verifyTable, type TableState } from '../net/table-lifecycle.js';
import { defineFault, type FaultContext } from './types.js';
import { defineFaultParams } from './params.js';

const params = defineFaultParams('net.partition', {
  to: endpointParams,
  from: Type.Optional(endpointParams),
  mode: Type.Optional(Type.Union([Type.Literal('drop'), Type.Literal('reject')], { default: 'drop', description: 'drop: packets vanish and peers time out (a real partition); reject: TCP resets, peers fail at once.' })),
}, 'Cut traffic between two endpoints: `from` (default: anyone) and the dependency `to`.');

async function build(fault: { to: Parameters<typeof resolveEndpoint>[0]; from?: Parameters<typeof resolveEndpoint>[0]; mode?: 'drop' | 'reject' }, context: FaultContext, table: string) {
  const to = await resolveEndpoint(fault.to, context.target, 'fault.to');
  const from = fault.from === undefined ? undefined : await resolveEndpoint(fault.from, context.target, 'fault.from');
  return buildPartitionRules(table, to, from, fault.mode ?? 'drop');
}

export default defineFault({
  type: 'net.partition',
  summary: 'cuts traffic between two endpoints (loopback or the target’s own namespaces) with an nftables table of its own',
  params,
  async plan(fault, context) {
    await assertNftUsable('net.partition');
    const rules = await build(fault, context, 'fl_<intent>');
    return {
      touches: [
        `mechanism: nftables — table inet fl_<intent> in ${rules.namespace ? `namespace ${rules.namespace}` : 'the host namespace'}, ${rules.rules.length} rule(s)`,
        ...rules.describe,
      ],
      guards: [
        'endpoints are loopback addresses or addresses inside a namespace the target owns; nothing else is ever matched',
        'the table is named in the ledger before it is added; rollback deletes it and checks the ruleset is identical to the snapshot (counters masked)',
      ],
    };
  },
  async prepare(fault, context) {
    const rules = await build(fault, context, getTableNameFor(context.stateDir));
    return prepareTable('net.partition', rules.namespace, rules.family, rules.table, rules.script, rules.rules.length);
  },
  async inject(_fault, _context, state) {
    await injectTable(state as TableState);
  },
  async verify(_fault, _context, state) {
    return verifyTable(state as TableState);
  },
  async rollback(_fault, _context, state) {
    return rollbackTable(state as TableState);
  },
});
