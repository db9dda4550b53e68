// Blast radius: which hosts of a group a scenario touches (count or percent, first or seeded random),
// and in which batches (`serial`) — as Ansible's serial does. The same inputs always give the same
// hosts, so `--dry-run` and the run agree.
import { createHash } from 'node:crypto';
import { InputError } from '../errors.js';
import { createRandom } from '../util/random.js';
import type { Inventory } from './inventory.js';

/** A scenario's `hosts` block, as far as choosing hosts goes. */
export interface HostSelection {
  group?: string;
  count?: number;
  percent?: number;
  pick?: 'first' | 'random';
  seed?: number;
}

/** The seed `pick: random` uses when the scenario gives none: derived from its id, so it is stable. */
export function getDefaultSeed(scenarioId: string): number {
  return createHash('sha256').update(scenarioId).digest().readUInt32BE(0);
}

/** The hosts the selection touches, in the order they are attempted. */
export function selectHosts(inventory: Inventory, selection: HostSelection, scenarioId: string): string[] {
  const group = selection.group ?? 'all';
  const members = inventory.groups.get(group);
  if (!members) throw new InputError(`hosts.group: ${inventory.source} has no group ${JSON.stringify(group)} (it has: ${[...inventory.groups.keys()].join(', ')})`);
  if (members.length === 0) throw new InputError(`hosts.group: group ${group} of ${inventory.source} has no hosts`);
  if (selection.count !== undefined && selection.percent !== undefined) throw new InputError('hosts: give count or percent, not both');
  const wanted = selection.count ?? (selection.percent !== undefined ? Math.max(1, Math.ceil((members.length * selection.percent) / 100)) : members.length);
  if (wanted > members.length) throw new InputError(`hosts.count: ${wanted} hosts asked for, and group ${group} has ${members.length}`);
  if ((selection.pick ?? 'first') === 'first') return members.slice(0, wanted);
  const random = createRandom(selection.seed ?? getDefaultSeed(scenarioId));
  const shuffled = [...members];
  for (let index = shuffled.length - 1; index > 0; index -= 1) {
    const other = Math.floor(random() * (index + 1));
    [shuffled[index], shuffled[other]] = [shuffled[other]!, shuffled[index]!];
  }
  return shuffled.slice(0, wanted);
}

/** Splits hosts into batches of `serial` (a number, or "N%" of the selection); all at once without it. */
export function splitBatches(hosts: readonly string[], serial: number | string | undefined): string[][] {
  if (hosts.length === 0) return [];
  let size = hosts.length;
  if (typeof serial === 'number') size = serial;
  else if (typeof serial === 'string') {
    const percent = /^(\d+(?:\.\d+)?)%$/.exec(serial);
    if (!percent) throw new InputError(`serial: expected a number or "N%"; got ${JSON.stringify(serial)}`);
    size = Math.max(1, Math.ceil((hosts.length * Number(percent[1])) / 100));
  }
  if (!Number.isInteger(size) || size < 1) throw new InputError(`serial: expected a whole number ≥ 1; got ${serial}`);
  const batches: string[][] = [];
  for (let start = 0; start < hosts.length; start += size) batches.push(hosts.slice(start, start + size));
  return batches;
}
