// How the controller reaches a host: the system `ssh`, so the user's ~/.ssh/config, agent, ProxyJump
// and known_hosts apply. faultline adds only one shared connection per host (ControlMaster), BatchMode
// (never a password prompt) and strict host-key checking unless the inventory says otherwise.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../errors.js';
import type { InventoryHost } from './inventory.js';

/** The remote command of the agent when the inventory names none. */
export const DEFAULT_AGENT_COMMAND = 'faultline agent --stdio';

/** How long a shared connection outlives its last use (seconds). */
const CONTROL_PERSIST_S = 15;

/**
 * The directory of the shared-connection sockets of one state directory: under the system temp dir with
 * a short name, because a unix socket path must stay under ~107 bytes (ssh's %C adds 40 more).
 */
export function getControlDir(stateDir: string): string {
  const dir = join(tmpdir(), `fl-ssh-${process.getuid?.() ?? 0}-${createHash('sha256').update(stateDir).digest('hex').slice(0, 10)}`);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

/** The ssh arguments (without the program) that reach a host, before any remote command. */
export function buildSshArgs(host: InventoryHost, controlDir: string): string[] {
  const vars = host.vars;
  const strict = vars.faultline_strict_host_key_checking ?? 'yes';
  if (strict !== 'yes' && strict !== 'accept-new') {
    throw new InputError(`host ${host.name}: faultline_strict_host_key_checking must be yes or accept-new; got ${JSON.stringify(strict)}`, { hint: 'faultline never connects to a host whose key it cannot check; add the key to known_hosts' });
  }
  const args: string[] = [];
  if (vars.faultline_ssh_config) args.push('-F', vars.faultline_ssh_config);
  args.push('-o', 'BatchMode=yes', '-o', `StrictHostKeyChecking=${strict}`);
  args.push('-o', 'ControlMaster=auto', '-o', `ControlPath=${join(controlDir, '%C')}`, '-o', `ControlPersist=${CONTROL_PERSIST_S}`);
  if (vars.ansible_port) args.push('-p', checkPort(vars.ansible_port, host.name));
  if (vars.ansible_user) args.push('-l', vars.ansible_user);
  if (vars.ansible_ssh_private_key_file) args.push('-i', vars.ansible_ssh_private_key_file);
  // Ansible's common args are a shell-like string; split on spaces (no quoting), which covers -o Key=Value.
  if (vars.ansible_ssh_common_args) args.push(...vars.ansible_ssh_common_args.split(/\s+/).filter(Boolean));
  const address = vars.ansible_host ?? host.name;
  if (address.startsWith('-')) throw new InputError(`host ${host.name}: address ${JSON.stringify(address)} starts with "-"`);
  args.push(address);
  return args;
}

/** The ssh argv that starts the agent on a host. */
export function buildAgentArgv(host: InventoryHost, controlDir: string): string[] {
  return ['ssh', ...buildSshArgs(host, controlDir), '--', host.vars.faultline_agent ?? DEFAULT_AGENT_COMMAND];
}

/** The ssh argv that closes a host's shared connection (`ssh -O exit`). */
export function buildCloseMasterArgv(host: InventoryHost, controlDir: string): string[] {
  const args = buildSshArgs(host, controlDir);
  return ['ssh', '-O', 'exit', ...args];
}

/** The `ssh -O exit` argv for an agent argv (ssh … host -- command), or undefined when it is not ssh. */
export function toCloseMasterArgv(agentArgv: readonly string[]): string[] | undefined {
  const separator = agentArgv.indexOf('--');
  if (agentArgv[0] !== 'ssh' || separator < 2) return undefined;
  return ['ssh', '-O', 'exit', ...agentArgv.slice(1, separator)];
}

function checkPort(value: string, host: string): string {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 1 || port > 65_535) throw new InputError(`host ${host}: ansible_port must be 1–65535; got ${JSON.stringify(value)}`);
  return String(port);
}
