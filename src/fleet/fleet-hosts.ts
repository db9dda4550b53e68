// A fleet scenario's hosts: its inventory (or list) read, the blast radius chosen, and for each host
// the argv that reaches its agent and the target file it runs against there.
import { dirname, resolve } from 'node:path';
import { InputError } from '../errors.js';
import type { Scenario } from '../scenario/types.js';
import { createListInventory, readInventoryFile, type Inventory, type InventoryHost } from './inventory.js';
import { selectHosts, splitBatches } from './select-hosts.js';
import { buildAgentArgv } from './ssh-command.js';

/** One chosen host, ready to connect to. */
export interface FleetHost {
  name: string;
  host: InventoryHost;
  /** The target file on the host (absolute). */
  target: string;
  argv: string[];
}

/** The chosen hosts of a fleet scenario and its batches. */
export interface FleetPlan {
  inventory: Inventory;
  group: string;
  hosts: FleetHost[];
  batches: string[][];
}

/** Reads the scenario's inventory and chooses its hosts; the same scenario always gives the same hosts. */
export function planFleetHosts(scenario: Scenario, controlDir: string): FleetPlan {
  const spec = scenario.hosts;
  if (!spec) throw new InputError(`${scenario.id}: not a fleet scenario (no hosts:)`);
  if (scenario.target !== 'reference') throw new InputError(`${scenario.source.file} ${scenario.id}: a fleet scenario takes its target from each host, not from target: (${scenario.target})`, { hint: 'remove target:, and set hosts.target or faultline_target for the hosts in the inventory' });
  if ((spec.inventory === undefined) === (spec.list === undefined)) throw new InputError(`${scenario.source.file} ${scenario.id}: hosts: give inventory or list (one of them)`);
  const inventory = spec.inventory ? readInventoryFile(resolve(dirname(scenario.source.file), spec.inventory)) : createListInventory(spec.list!);
  const names = selectHosts(inventory, spec, scenario.id);
  const hosts = names.map((name) => {
    const host = inventory.hosts.get(name)!;
    const target = spec.target ?? host.vars.faultline_target;
    if (!target || !target.startsWith('/')) {
      throw new InputError(`${scenario.id}: host ${name} has no target file`, { hint: 'set hosts.target in the scenario, or faultline_target (an absolute path on the host) for the host in the inventory' });
    }
    return { name, host, target, argv: buildAgentArgv(host, controlDir) };
  });
  return { inventory, group: spec.group ?? 'all', hosts, batches: splitBatches(names, scenario.serial) };
}

/** The scenario as a host's agent gets it: its target is the host's own target file; the fleet fields stay here. */
export function toAgentScenario(scenario: Scenario, target: string): Record<string, unknown> {
  const { source: _source, hosts: _hosts, serial: _serial, maxFailures: _maxFailures, ...rest } = scenario;
  return { ...rest, target };
}
