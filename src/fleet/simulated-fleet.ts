// A simulated fleet for tests and demos: N namespace-hosts, each running sshd, each with its own
// directory (a target file whose roots are that directory's data/, and the agent's ledger), and an
// inventory that reaches them through the fleet's own ssh_config. The namespace-hosts share this
// machine's filesystem, so the agent on a "remote" host is this same checkout run over ssh inside the
// namespace — the transport, the version check and the dead-man timer are all real.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/files.js';
import { getPackagePath } from '../util/package-root.js';
import { createNamespaceHosts, removeNamespaceHosts, startSshd, writeSshdConfig, type NamespaceHostInfo } from './namespace-hosts.js';
import { addKnownHost, createFleetKeys, getFleetSshFiles } from './ssh-keys.js';
import { buildAgentArgv, getControlDir } from './ssh-command.js';
import { closeSharedConnections } from './shared-connections.js';
import { readInventoryFile } from './inventory.js';

/** The record of a simulated fleet, written before anything is created so `down` finds what a crash left. */
export interface SimulatedFleet {
  dir: string;
  prefix: string;
  bridge?: string;
  hosts: (NamespaceHostInfo & { dir: string; target: string; stateDir: string })[];
  inventory: string;
  /** True when faultline chose the directory (removed by stop). */
  ownsDir: boolean;
}

/** The fleet record's file in a fleet directory. */
export const FLEET_RECORD = 'fleet.json';

/** Most namespace-hosts one simulated fleet may have. */
export const MAX_SIMULATED_HOSTS = 32;

/** Starts a simulated fleet of `count` hosts in `dir` (a new temp dir when omitted). */
export async function startSimulatedFleet(options: { count: number; dir?: string; prefix?: string }): Promise<SimulatedFleet> {
  if (!Number.isInteger(options.count) || options.count < 1 || options.count > MAX_SIMULATED_HOSTS) throw new InputError(`--hosts: expected 1–${MAX_SIMULATED_HOSTS}; got ${options.count}`);
  const ownsDir = options.dir === undefined;
  const dir = resolve(options.dir ?? join('/tmp', `fl-fleet-${randomBytes(4).toString('hex')}`));
  if (existsSync(join(dir, FLEET_RECORD))) throw new InputError(`${dir} already holds a simulated fleet`, { hint: `stop it first: faultline target down fleet --dir ${dir}` });
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const prefix = options.prefix ?? `fl-fleet-${randomBytes(3).toString('hex')}`;
  const fleet: SimulatedFleet = { dir, prefix, hosts: [], inventory: join(dir, 'inventory.yaml'), ownsDir };
  const save = () => writeFileAtomic(join(dir, FLEET_RECORD), `${JSON.stringify(fleet, null, 2)}\n`);
  save();
  try {
    const files = await createFleetKeys(dir);
    const hostDir = (name: string) => join(dir, 'hosts', name);
    for (let index = 1; index <= options.count; index += 1) mkdirSync(join(hostDir(`h${index}`), 'data'), { recursive: true, mode: 0o700 });
    const set = await createNamespaceHosts(prefix, options.count, hostDir);
    fleet.bridge = set.bridge.name;
    fleet.hosts = set.hosts.map((host) => ({ ...host, dir: hostDir(host.name), target: join(hostDir(host.name), 'target.yaml'), stateDir: join(hostDir(host.name), 'state') }));
    save();
    for (const host of fleet.hosts) {
      writeHostTarget(host);
      writeSshdConfig(host, files);
      addKnownHost(files, host.address);
      await startSshd(host, join(host.dir, 'sshd.log'));
    }
    writeInventory(fleet, files.clientConfig);
    return fleet;
  } catch (error) {
    await stopSimulatedFleet(dir).catch(() => {});
    throw error;
  }
}

// Each host's own system under test: a file faults may touch, under a root that is only this host's.
function writeHostTarget(host: SimulatedFleet['hosts'][number]): void {
  writeFileSync(join(host.dir, 'data', 'service.conf'), `# ${host.name}'s service\nhost=${host.name}\nport=8080\n`, { mode: 0o644 });
  writeFileSync(host.target, [
    `name: ${host.name}`,
    `home: ${host.dir}`,
    'roots:',
    `  - ${join(host.dir, 'data')}`,
    '',
  ].join('\n'));
}

// Ansible's YAML form: one group `fleet`, the agent command and target of each host as its variables.
function writeInventory(fleet: SimulatedFleet, clientConfig: string): void {
  const cli = getPackagePath('bin', 'faultline.js');
  const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
  const lines = ['all:', '  vars:', `    faultline_ssh_config: ${JSON.stringify(clientConfig)}`, '    ansible_user: root', '  children:', '    fleet:', '      hosts:'];
  for (const host of fleet.hosts) {
    const agent = [process.execPath, cli, 'agent', '--stdio', '--state-dir', host.stateDir].map(quote).join(' ');
    lines.push(`        ${host.name}:`, `          ansible_host: ${host.address}`, `          faultline_target: ${JSON.stringify(host.target)}`, `          faultline_agent: ${JSON.stringify(agent)}`);
  }
  writeFileSync(fleet.inventory, `${lines.join('\n')}\n`);
}

/** Reads a fleet directory's record. */
export function readSimulatedFleet(dir: string): SimulatedFleet {
  const file = join(resolve(dir), FLEET_RECORD);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SimulatedFleet;
  } catch (error) {
    throw new InputError(`${dir} holds no simulated fleet (${file}: ${(error as Error).message})`, { hint: 'start one with `faultline target up fleet --hosts 3`' });
  }
}

/**
 * Stops a simulated fleet: closes the shared ssh connections to its hosts, stops sshd, deletes the
 * namespaces (and whatever still runs in them) and the bridge, and removes the keys (the whole dir
 * when faultline chose it). Returns what it removed.
 */
export async function stopSimulatedFleet(dir: string, options: { controlStateDirs?: string[] } = {}): Promise<string[]> {
  const fleet = readSimulatedFleet(dir);
  await closeFleetMasters(fleet, options.controlStateDirs ?? []);
  const removed = await removeNamespaceHosts({ prefix: fleet.prefix, hosts: fleet.hosts, ...(fleet.bridge ? { bridge: fleet.bridge } : {}) });
  const files = getFleetSshFiles(fleet.dir);
  rmSync(files.dir, { recursive: true, force: true });
  removed.push(`keys ${files.dir}`);
  if (fleet.ownsDir) {
    rmSync(fleet.dir, { recursive: true, force: true });
    removed.push(`dir ${fleet.dir}`);
  } else rmSync(join(fleet.dir, FLEET_RECORD), { force: true });
  return removed;
}

// The shared connections a controller left open to the fleet's hosts (ControlPersist) end with sshd
// anyway; `ssh -O exit` ends their client side now instead of seconds later.
async function closeFleetMasters(fleet: SimulatedFleet, stateDirs: string[]): Promise<void> {
  let inventory;
  try {
    inventory = readInventoryFile(fleet.inventory);
  } catch {
    return;
  }
  for (const stateDir of stateDirs) {
    const controlDir = getControlDir(stateDir);
    await closeSharedConnections([...inventory.hosts.values()].map((host) => buildAgentArgv(host, controlDir)), controlDir);
  }
}
