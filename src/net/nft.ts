// nftables, in the host's network namespace or in one faultline owns: every fault's rules live in one
// table of its own (`fl_<tag>`), so removing the table removes exactly them, and the ruleset can be
// compared, counters masked, with the snapshot taken before the table was added.
import { execa } from 'execa';
import { TargetError } from '../errors.js';

// Commands run in `namespace` through `ip netns exec` (undefined = the host's namespace).
function inNamespace(namespace: string | undefined, command: string[]): [string, string[]] {
  return namespace === undefined ? [command[0]!, command.slice(1)] : ['ip', ['netns', 'exec', namespace, ...command]];
}

async function runIn(namespace: string | undefined, command: string[], input?: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  const [file, args] = inNamespace(namespace, command);
  const result = await execa(file, args, { reject: false, ...(input === undefined ? { stdin: 'ignore' as const } : { input }), timeout: 15_000 });
  return { exitCode: result.exitCode ?? -1, stdout: String(result.stdout), stderr: String(result.stderr) };
}

/** True when `nft` runs and can read the ruleset here (binary present, kernel has nf_tables). */
export async function isNftAvailable(): Promise<{ ok: boolean; detail: string }> {
  const result = await runIn(undefined, ['nft', 'list', 'tables']).catch((error: Error) => ({ exitCode: -1, stdout: '', stderr: error.message }));
  return result.exitCode === 0 ? { ok: true, detail: 'nft reads the ruleset' } : { ok: false, detail: `nft list tables failed: ${result.stderr.trim() || `exit ${result.exitCode}`}` };
}

/** The ruleset as text for comparisons: nft's and iptables-save's, counters and iptables-save's dated comments masked. */
export async function snapshotRuleset(namespace: string | undefined): Promise<string> {
  const nft = await runIn(namespace, ['nft', 'list', 'ruleset']);
  if (nft.exitCode !== 0) throw new TargetError(`nft list ruleset${namespace ? ` in namespace ${namespace}` : ''} failed: ${nft.stderr.trim()}`);
  // iptables-legacy tables are not in nft's ruleset; iptables-save (nft or legacy backend) shows them.
  const iptables = await runIn(namespace, ['iptables-save']).catch(() => ({ exitCode: -1, stdout: '', stderr: '' }));
  const maskedNft = nft.stdout.replace(/counter packets \d+ bytes \d+/g, 'counter');
  const maskedIptables = iptables.exitCode === 0 ? iptables.stdout.split('\n').filter((line) => !line.startsWith('#')).map((line) => line.replace(/\[\d+:\d+\]/g, '[*:*]')).join('\n') : '';
  return `${maskedNft}\n--- iptables-save ---\n${maskedIptables}`;
}

/** Adds a whole table from an nft script (atomically: nft applies a file as one transaction). */
export async function addTable(namespace: string | undefined, script: string): Promise<void> {
  const result = await runIn(namespace, ['nft', '-f', '-'], script);
  if (result.exitCode !== 0) throw new TargetError(`nft could not add the fault's rules${namespace ? ` in namespace ${namespace}` : ''}: ${result.stderr.trim()}`);
}

/** True when the table exists. */
export async function hasTable(namespace: string | undefined, family: string, name: string): Promise<boolean> {
  const result = await runIn(namespace, ['nft', 'list', 'table', family, name]);
  return result.exitCode === 0;
}

/** The table's rules, one line each (empty when it does not exist). */
export async function listTableRules(namespace: string | undefined, family: string, name: string): Promise<string[]> {
  const result = await runIn(namespace, ['nft', 'list', 'table', family, name]);
  if (result.exitCode !== 0) return [];
  return result.stdout.split('\n').map((line) => line.trim()).filter((line) => /\b(drop|reject|redirect|accept)\b/.test(line) && !line.startsWith('type '));
}

/** Deletes the table when it exists (idempotent). */
export async function deleteTable(namespace: string | undefined, family: string, name: string): Promise<void> {
  if (!(await hasTable(namespace, family, name))) return;
  const result = await runIn(namespace, ['nft', 'delete', 'table', family, name]);
  if (result.exitCode !== 0 && (await hasTable(namespace, family, name))) throw new TargetError(`nft delete table ${family} ${name} failed: ${result.stderr.trim()}`);
}

/** A table name for one fault: `fl_` and a tag unique to its ledger intent. */
export function createTableName(tag: string): string {
  return `fl_${tag.replace(/[^a-zA-Z0-9]/g, '').slice(-16).toLowerCase()}`;
}

/** Lines of `after` not in `before` and of `before` not in `after`, for a rollback's message. */
export function diffRulesets(before: string, after: string): string[] {
  const a = before.split('\n');
  const b = after.split('\n');
  return [...b.filter((line) => !a.includes(line)).map((line) => `+ ${line.trim()}`), ...a.filter((line) => !b.includes(line)).map((line) => `- ${line.trim()}`)];
}
