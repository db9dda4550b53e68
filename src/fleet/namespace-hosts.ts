// Namespace-hosts: each a network namespace (src/net/namespace.ts) with its own veth and address on a
// private bridge, running Debian's sshd with the fleet's throwaway host key. sshd gets a private /run
// (a small tmpfs in its own mount namespace) for its privilege-separation directory, so nothing is
// created on the real host. Used by the simulated fleet and by other namespace targets (an etcd cluster).
import { existsSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { TargetError } from '../errors.js';
import { createBridge, createNamespace, deleteBridge, deleteNamespace, removeByPrefix, type NamespaceBridge } from '../net/namespace.js';
import { pickFreeSubnet } from '../net/addresses.js';
import { sleep } from '../util/clock.js';
import { isPidAlive } from '../util/pid.js';
import type { FleetSshFiles } from './ssh-keys.js';

/** Debian's OpenSSH server. */
export const SSHD = '/usr/sbin/sshd';

/** One namespace-host. */
export interface NamespaceHostInfo {
  /** Name in inventories ("h1"). */
  name: string;
  namespace: string;
  address: string;
  /** Its sshd's configuration and pidfile. */
  sshdConfig: string;
  sshdPidfile: string;
}

/** A bridge and the hosts on it; everything is named with `prefix`, so removeByPrefix clears it all. */
export interface NamespaceHostSet {
  prefix: string;
  bridge: NamespaceBridge;
  subnet: string;
  hosts: NamespaceHostInfo[];
}

/** Creates the bridge and `count` namespaces with addresses .2, .3, … on a free private /24. */
export async function createNamespaceHosts(prefix: string, count: number, dirOf: (name: string) => string): Promise<NamespaceHostSet> {
  const { base } = await pickFreeSubnet(process.pid + Math.floor(Math.random() * 60_000));
  const bridge = await createBridge(`${prefix}-br`, `${base}.1/24`);
  const set: NamespaceHostSet = { prefix, bridge, subnet: `${base}.0/24`, hosts: [] };
  try {
    for (let index = 1; index <= count; index += 1) {
      const name = `h${index}`;
      const namespace = `${prefix}-${name}`;
      const created = await createNamespace(namespace, `${base}.${index + 1}/24`, { bridge });
      const dir = dirOf(name);
      set.hosts.push({ name, namespace, address: created.address, sshdConfig: join(dir, 'sshd_config'), sshdPidfile: join(dir, 'sshd.pid') });
    }
  } catch (error) {
    await removeNamespaceHosts(set).catch(() => {});
    throw error;
  }
  return set;
}

/** Writes a host's sshd_config: its address only, the fleet's keys, public-key root login, no PAM, no passwords. */
export function writeSshdConfig(host: NamespaceHostInfo, files: FleetSshFiles): void {
  writeFileSync(host.sshdConfig, [
    `ListenAddress ${host.address}`,
    'Port 22',
    `HostKey ${files.hostKey}`,
    `AuthorizedKeysFile ${files.authorizedKeys}`,
    `PidFile ${host.sshdPidfile}`,
    'PermitRootLogin prohibit-password',
    'PubkeyAuthentication yes',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    // The fleet's files live in a temp dir whose parents (/tmp) sshd's strict modes would refuse.
    'StrictModes no',
    'AllowUsers root',
    'X11Forwarding no',
    'AllowTcpForwarding no',
    'PermitTunnel no',
    'MaxStartups 100',
    'MaxSessions 100',
    'LogLevel ERROR',
    '',
  ].join('\n'), { mode: 0o600 });
}

/** Starts sshd in the host's namespace (it daemonizes, writing its pidfile) and waits until it accepts connections. */
export async function startSshd(host: NamespaceHostInfo, logFile: string): Promise<number> {
  if (!existsSync(SSHD)) throw new TargetError(`${SSHD} is missing`, { hint: 'install Debian’s openssh-server (apt-get install openssh-server)' });
  // A private /run for sshd (its privilege-separation dir /run/sshd), in a mount namespace of its own.
  const script = 'mount -t tmpfs -o size=1m,mode=755 fl-sshd-run /run && mkdir -m 755 /run/sshd && exec "$1" -f "$2" -E "$3"';
  const result = await execa('ip', ['netns', 'exec', host.namespace, 'unshare', '--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', SSHD, host.sshdConfig, logFile], { reject: false, stdin: 'ignore', timeout: 20_000 });
  if (result.exitCode !== 0) throw new TargetError(`sshd in ${host.namespace} did not start (exit ${result.exitCode}): ${String(result.stderr).trim() || readTail(logFile)}`);
  const deadline = performance.now() + 10_000;
  for (;;) {
    const pid = readSshdPid(host);
    if (pid !== undefined && (await isListening(host))) return pid;
    if (performance.now() > deadline) throw new TargetError(`sshd in ${host.namespace} is not listening on ${host.address}:22 after 10 s: ${readTail(logFile)}`);
    await sleep(50);
  }
}

/** The pid in a host's sshd pidfile when it is a live sshd started with this host's config. */
export function readSshdPid(host: NamespaceHostInfo): number | undefined {
  let pid: number;
  try {
    pid = Number(readFileSync(host.sshdPidfile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 1 || !isPidAlive(pid)) return undefined;
  try {
    // sshd rewrites its argv ("sshd: /usr/sbin/sshd -f <config> … [listener] …"): its exe and config name it.
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
    return readlinkSync(`/proc/${pid}/exe`) === SSHD && cmdline.includes(` -f ${host.sshdConfig} `) ? pid : undefined;
  } catch {
    return undefined;
  }
}

// sshd listens once its socket shows in the namespace's table (ss inside the namespace).
async function isListening(host: NamespaceHostInfo): Promise<boolean> {
  const result = await execa('ip', ['netns', 'exec', host.namespace, 'ss', '-Htln', `src ${host.address}:22`], { reject: false, stdin: 'ignore' });
  return result.exitCode === 0 && String(result.stdout).trim() !== '';
}

function readTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '(no log)';
  }
}

/**
 * Stops every host's sshd (by its verified pidfile), deletes the namespaces (which kills whatever still
 * runs inside: agents, sessions) and the bridge, then sweeps the prefix for anything a crash left.
 */
export async function removeNamespaceHosts(set: Pick<NamespaceHostSet, 'prefix' | 'hosts'> & { bridge?: NamespaceBridge | string }): Promise<string[]> {
  for (const host of set.hosts) {
    const pid = readSshdPid(host);
    if (pid !== undefined) process.kill(pid, 'SIGTERM');
  }
  for (const host of set.hosts) await deleteNamespace(host.namespace);
  if (set.bridge) await deleteBridge(set.bridge);
  return removeByPrefix(set.prefix);
}
