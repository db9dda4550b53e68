// The life of one fault's nftables table: snapshot the ruleset, add the table, check it is there, and
// on rollback delete it and check the ruleset is back to the snapshot (counters masked). Works from the
// saved state alone, so `faultline recover` can run it in another process after a crash.
import { basename } from 'node:path';
import { GuardError } from '../errors.js';
import { listNamespaces } from './namespace.js';
import { addTable, createTableName, deleteTable, diffRulesets, hasTable, isNftAvailable, listTableRules, snapshotRuleset } from './nft.js';

/** What a table fault saves before it acts (in the ledger intent): enough to find and remove its table. */
export interface TableState {
  [key: string]: unknown;
  mechanism: 'nftables';
  namespace: string | null;
  family: 'inet' | 'ip';
  table: string;
  script: string;
  ruleCount: number;
  /** The ruleset before the table was added, counters masked. */
  before: string;
}

/** The table name for the fault whose private directory is `stateDir` (named after its ledger intent). */
export function getTableNameFor(stateDir: string): string {
  return createTableName(basename(stateDir).replace(/\.d$/, ''));
}

/** Refuses clearly when nftables is not usable here: every rule-based net fault needs it. */
export async function assertNftUsable(fault: string): Promise<void> {
  const nft = await isNftAvailable();
  if (!nft.ok) {
    throw new GuardError(`${fault}: no mechanism available: ${fault} needs nftables (${nft.detail})`, {
      hint: 'install nftables (apt-get install nftables); iptables alone is not used, because iptables-nft cannot remove the tables it creates and the ruleset could then never be verified byte-identical after rollback',
    });
  }
}

/** Snapshots the ruleset where the table will go; refuses when a table of that name is already there. */
export async function prepareTable(fault: string, namespace: string | undefined, family: 'inet' | 'ip', table: string, script: string, ruleCount: number): Promise<TableState> {
  await assertNftUsable(fault);
  if (await hasTable(namespace, family, table)) throw new GuardError(`${fault}: an nftables table ${family} ${table} already exists${namespace ? ` in namespace ${namespace}` : ''}; run \`faultline recover\``);
  return { mechanism: 'nftables', namespace: namespace ?? null, family, table, script, ruleCount, before: await snapshotRuleset(namespace) };
}

/** Adds the table (one nft transaction). */
export async function injectTable(state: TableState): Promise<void> {
  await addTable(state.namespace ?? undefined, state.script);
}

/** True when the table holds all its rules. */
export async function verifyTable(state: TableState): Promise<boolean> {
  return (await listTableRules(state.namespace ?? undefined, state.family, state.table)).length === state.ruleCount;
}

/** Deletes the table and checks the ruleset equals the snapshot; idempotent. */
export async function rollbackTable(state: TableState): Promise<{ ok: boolean; detail: string }> {
  const namespace = state.namespace ?? undefined;
  const where = namespace ? `namespace ${namespace}` : 'the host namespace';
  if (namespace && !(await listNamespaces()).includes(namespace)) {
    return { ok: true, detail: `namespace ${namespace} no longer exists; table ${state.table} went with it` };
  }
  await deleteTable(namespace, state.family, state.table);
  if (await hasTable(namespace, state.family, state.table)) return { ok: false, detail: `nftables table ${state.family} ${state.table} is still in ${where}` };
  const after = await snapshotRuleset(namespace);
  if (after === state.before) return { ok: true, detail: `removed nftables table ${state.family} ${state.table} from ${where}; ruleset identical to before (counters masked)` };
  const diff = diffRulesets(state.before, after);
  if (diff.some((line) => line.includes(state.table))) return { ok: false, detail: `the ruleset of ${where} still differs in faultline's lines: ${diff.join('; ')}` };
  // Someone else changed the ruleset meanwhile: faultline's table is gone, and it says what else differs.
  return { ok: true, detail: `removed nftables table ${state.family} ${state.table} from ${where}; the ruleset differs from before only in lines faultline did not write: ${diff.slice(0, 6).join('; ')}` };
}
