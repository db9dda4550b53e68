// `faultline target up|down|status fleet`: a simulated fleet of namespace-hosts running sshd, for
// trying fleet scenarios on one machine. The last one started here is recorded in .faultline/fleet-target.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

function recordFile(cwd: string): string {
  return join(cwd, process.env.FAULTLINE_STATE_DIR ?? '.faultline', 'fleet-target');
}

function resolveFleetDir(dir: string | undefined, cwd: string): string {
  if (dir) return resolve(cwd, dir);
  try {
    return readFileSync(recordFile(cwd), 'utf8').trim();
  } catch {
    throw new InputError('no simulated fleet is recorded here', { hint: 'name it with --dir, or start one with `faultline target up fleet --hosts 3`' });
  }
}

/** Starts a simulated fleet and returns what to print (its inventory and how to use it). */
export async function runFleetUp(args: { hosts?: number; dir?: string; json: boolean }, cwd: string): Promise<string> {
  const { startSimulatedFleet } = await import('../fleet/simulated-fleet.js');
  const fleet = await startSimulatedFleet({ count: args.hosts ?? 3, ...(args.dir ? { dir: resolve(cwd, args.dir) } : {}) });
  mkdirSync(dirname(recordFile(cwd)), { recursive: true });
  writeFileSync(recordFile(cwd), `${fleet.dir}\n`);
  if (args.json) return `${JSON.stringify(fleet, null, 2)}\n`;
  return [
    `✓ simulated fleet of ${fleet.hosts.length} namespace-host(s) in ${fleet.dir}`,
    ...fleet.hosts.map((host) => `  ${host.name}  ${host.address}  namespace ${host.namespace}  target ${host.target}`),
    `  inventory  ${fleet.inventory}  (group: fleet)`,
    `  use it     hosts: { inventory: ${fleet.inventory}, group: fleet, count: 2 } in a scenario`,
    `  stop it    faultline target down fleet${args.dir ? ` --dir ${fleet.dir}` : ''}`,
    '',
  ].join('\n');
}

/** Stops a simulated fleet: namespaces, sshd, keys, shared connections. */
export async function runFleetDown(args: { dir?: string; json: boolean }, cwd: string): Promise<string> {
  const { stopSimulatedFleet } = await import('../fleet/simulated-fleet.js');
  const dir = resolveFleetDir(args.dir, cwd);
  const removed = await stopSimulatedFleet(dir, { controlStateDirs: [resolve(cwd, process.env.FAULTLINE_STATE_DIR ?? '.faultline')] });
  try {
    if (readFileSync(recordFile(cwd), 'utf8').trim() === dir) rmSync(recordFile(cwd), { force: true });
  } catch {
    /* not recorded here */
  }
  return args.json ? `${JSON.stringify({ dir, removed }, null, 2)}\n` : `✓ simulated fleet in ${dir} stopped: ${removed.join(', ')}\n`;
}

/** Describes a simulated fleet: each host and whether its sshd runs. */
export async function runFleetStatus(args: { dir?: string; json: boolean }, cwd: string): Promise<string> {
  const [{ readSimulatedFleet }, { readSshdPid }] = await Promise.all([import('../fleet/simulated-fleet.js'), import('../fleet/namespace-hosts.js')]);
  const fleet = readSimulatedFleet(resolveFleetDir(args.dir, cwd));
  const hosts = fleet.hosts.map((host) => ({ ...host, sshdPid: readSshdPid(host) ?? null }));
  if (args.json) return `${JSON.stringify({ ...fleet, hosts }, null, 2)}\n`;
  return `${[`simulated fleet in ${fleet.dir} (inventory ${fleet.inventory})`, ...hosts.map((host) => `  ${host.name}  ${host.address}  sshd ${host.sshdPid ? `running (pid ${host.sshdPid})` : 'NOT running'}`)].join('\n')}\n`;
}
