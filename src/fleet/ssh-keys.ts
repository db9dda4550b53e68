// Throwaway keys and client files of a simulated fleet: one host key, one client key, and the client's
// own ssh_config and known_hosts in the fleet's directory — the user's ~/.ssh is never read or written.
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { TargetError } from '../errors.js';

/** Where a simulated fleet keeps its keys and client files. */
export interface FleetSshFiles {
  dir: string;
  hostKey: string;
  clientKey: string;
  authorizedKeys: string;
  knownHosts: string;
  clientConfig: string;
}

/** The files of a fleet directory (whether or not they exist yet). */
export function getFleetSshFiles(fleetDir: string): FleetSshFiles {
  const dir = join(fleetDir, 'ssh');
  return { dir, hostKey: join(dir, 'host_ed25519_key'), clientKey: join(dir, 'client_ed25519_key'), authorizedKeys: join(dir, 'authorized_keys'), knownHosts: join(dir, 'known_hosts'), clientConfig: join(dir, 'ssh_config') };
}

/** Makes the host and client keys, authorises the client key, and writes the client's ssh_config. */
export async function createFleetKeys(fleetDir: string): Promise<FleetSshFiles> {
  const files = getFleetSshFiles(fleetDir);
  mkdirSync(files.dir, { recursive: true, mode: 0o700 });
  for (const [key, comment] of [[files.hostKey, 'faultline simulated fleet host key'], [files.clientKey, 'faultline simulated fleet client key']] as const) {
    const result = await execa('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', comment, '-f', key], { reject: false, stdin: 'ignore' });
    if (result.exitCode !== 0) throw new TargetError(`ssh-keygen failed: ${String(result.stderr).trim()}`, { hint: 'install openssh-client (ssh-keygen)' });
  }
  writeFileSync(files.authorizedKeys, readFileSync(`${files.clientKey}.pub`), { mode: 0o600 });
  writeFileSync(files.knownHosts, '', { mode: 0o600 });
  // Everything the client needs, and nothing from ~/.ssh: its own key only, its own known_hosts, no agent.
  writeFileSync(files.clientConfig, [
    'Host *',
    `  IdentityFile ${files.clientKey}`,
    '  IdentitiesOnly yes',
    '  IdentityAgent none',
    `  UserKnownHostsFile ${files.knownHosts}`,
    '  GlobalKnownHostsFile /dev/null',
    '  StrictHostKeyChecking yes',
    '  BatchMode yes',
    '  User root',
    '  LogLevel ERROR',
    '  ConnectTimeout 10',
    '',
  ].join('\n'), { mode: 0o600 });
  chmodSync(files.dir, 0o700);
  return files;
}

/** Adds a host's address with the fleet's host key to the fleet's own known_hosts. */
export function addKnownHost(files: FleetSshFiles, address: string): void {
  const publicKey = readFileSync(`${files.hostKey}.pub`, 'utf8').trim().split(/\s+/).slice(0, 2).join(' ');
  writeFileSync(files.knownHosts, `${address} ${publicKey}\n`, { flag: 'a', mode: 0o600 });
}
