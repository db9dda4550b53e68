// Inventories in Ansible's two formats (INI and YAML), or a plain list: hosts, their variables and
// their groups. Only what faultline reads is interpreted (ansible_host/port/user/…, faultline_*);
// other variables are kept as they are. Variables apply all → groups (in file order) → the host itself.
import { readFileSync } from 'node:fs';
import yaml from 'js-yaml';
import { InputError } from '../errors.js';

/** One host and its merged variables. */
export interface InventoryHost {
  name: string;
  vars: Record<string, string>;
}

/** Hosts by name and groups by name (each a list of host names, children included; `all` holds every host). */
export interface Inventory {
  hosts: Map<string, InventoryHost>;
  groups: Map<string, string[]>;
  /** Where it came from, for messages. */
  source: string;
}

// The largest inventory read (bytes) and the most hosts one may expand to (ranges included).
const MAX_INVENTORY_BYTES = 1024 * 1024;
const MAX_HOSTS = 10_000;

interface Builder {
  hostVars: Map<string, Record<string, string>>;
  groupHosts: Map<string, Set<string>>;
  groupVars: Map<string, Record<string, string>>;
  groupChildren: Map<string, Set<string>>;
}

function createBuilder(): Builder {
  return { hostVars: new Map(), groupHosts: new Map([['all', new Set()]]), groupVars: new Map(), groupChildren: new Map() };
}

function addHost(builder: Builder, group: string, name: string, vars: Record<string, string>): void {
  if (!builder.hostVars.has(name) && builder.hostVars.size >= MAX_HOSTS) throw new InputError(`inventory: more than ${MAX_HOSTS} hosts`);
  builder.hostVars.set(name, { ...builder.hostVars.get(name), ...vars });
  if (!builder.groupHosts.has(group)) builder.groupHosts.set(group, new Set());
  builder.groupHosts.get(group)!.add(name);
  builder.groupHosts.get('all')!.add(name);
}

/** Expands Ansible's numeric host ranges: web[01:03] → web01, web02, web03. */
export function expandHostPattern(pattern: string): string[] {
  const match = /^(.*)\[(\d+):(\d+)\](.*)$/.exec(pattern);
  if (!match) return [pattern];
  const [, prefix, from, to, suffix] = match as unknown as [string, string, string, string, string];
  const start = Number(from);
  const end = Number(to);
  if (end < start || end - start >= MAX_HOSTS) throw new InputError(`inventory: host range ${pattern} is empty or larger than ${MAX_HOSTS}`);
  const width = from.startsWith('0') ? from.length : 0;
  return Array.from({ length: end - start + 1 }, (_, index) => `${prefix}${String(start + index).padStart(width, '0')}`).flatMap((name) => expandHostPattern(`${name}${suffix}`));
}

// key=value pairs of an INI line (values may be quoted with ' or ").
function parseIniVars(text: string, where: string): Record<string, string> {
  const vars: Record<string, string> = {};
  const pattern = /\s*([A-Za-z_][A-Za-z0-9_]*)=("([^"]*)"|'([^']*)'|(\S*))/gy;
  let rest = text.trim();
  while (rest.length > 0) {
    pattern.lastIndex = 0;
    const match = pattern.exec(rest);
    if (!match) throw new InputError(`${where}: expected key=value; got ${JSON.stringify(rest.slice(0, 60))}`);
    vars[match[1]!] = match[3] ?? match[4] ?? match[5] ?? '';
    rest = rest.slice(pattern.lastIndex).trim();
  }
  return vars;
}

/** Parses an Ansible INI inventory. */
export function parseIniInventory(text: string, source: string): Inventory {
  const builder = createBuilder();
  let section: { group: string; kind: 'hosts' | 'vars' | 'children' } = { group: 'ungrouped', kind: 'hosts' };
  text.split(/\r?\n/).forEach((raw, index) => {
    const where = `${source}:${index + 1}`;
    const line = raw.replace(/\s[#;].*$/, '').trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    const header = /^\[([^\]:]+)(?::(vars|children))?\]$/.exec(line);
    if (header) {
      section = { group: header[1]!, kind: (header[2] as 'vars' | 'children' | undefined) ?? 'hosts' };
      if (!builder.groupHosts.has(section.group)) builder.groupHosts.set(section.group, new Set());
      return;
    }
    if (section.kind === 'vars') {
      builder.groupVars.set(section.group, { ...builder.groupVars.get(section.group), ...parseIniVars(line, where) });
    } else if (section.kind === 'children') {
      if (!builder.groupChildren.has(section.group)) builder.groupChildren.set(section.group, new Set());
      builder.groupChildren.get(section.group)!.add(line);
    } else {
      const [pattern, ...rest] = line.split(/\s+/);
      const vars = parseIniVars(rest.join(' '), where);
      for (const name of expandHostPattern(pattern!)) addHost(builder, section.group, name, vars);
    }
  });
  return buildInventory(builder, source);
}

/** Parses an Ansible YAML inventory (all: { hosts, vars, children: { web: { hosts, vars, children } } }). */
export function parseYamlInventory(text: string, source: string): Inventory {
  let value: unknown;
  try {
    value = yaml.load(text, { schema: yaml.JSON_SCHEMA });
  } catch (error) {
    throw new InputError(`${source}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  if (!isRecord(value)) throw new InputError(`${source}: expected a mapping of groups (all: { hosts: …, children: … })`);
  const builder = createBuilder();
  const visit = (group: string, node: unknown, path: string) => {
    if (node === null || node === undefined) return;
    if (!isRecord(node)) throw new InputError(`${source}: ${path}: expected a mapping with hosts, vars or children`);
    if (!builder.groupHosts.has(group)) builder.groupHosts.set(group, new Set());
    for (const [name, vars] of Object.entries(asRecord(node.hosts, `${path}.hosts`, source))) {
      for (const host of expandHostPattern(name)) addHost(builder, group, host, stringifyVars(vars, `${path}.hosts.${name}`, source));
    }
    if (node.vars !== undefined) builder.groupVars.set(group, { ...builder.groupVars.get(group), ...stringifyVars(node.vars, `${path}.vars`, source) });
    for (const [child, childNode] of Object.entries(asRecord(node.children, `${path}.children`, source))) {
      if (!builder.groupChildren.has(group)) builder.groupChildren.set(group, new Set());
      builder.groupChildren.get(group)!.add(child);
      visit(child, childNode, `${path}.children.${child}`);
    }
  };
  for (const [group, node] of Object.entries(value)) visit(group, node, group);
  return buildInventory(builder, source);
}

/** An inventory of hosts named in a list (no variables beyond the names; every host in `all`). */
export function createListInventory(names: readonly string[]): Inventory {
  const builder = createBuilder();
  for (const name of names) for (const host of expandHostPattern(name)) addHost(builder, 'ungrouped', host, {});
  return buildInventory(builder, 'hosts list');
}

/** Reads an inventory file: YAML when it ends in .yaml/.yml/.json, else INI (as Ansible guesses). */
export function readInventoryFile(file: string): Inventory {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputError(`cannot read inventory ${file}: ${(error as Error).message}`, { hint: 'hosts.inventory is relative to the scenario file' });
  }
  if (Buffer.byteLength(text) > MAX_INVENTORY_BYTES) throw new InputError(`inventory ${file} is larger than ${MAX_INVENTORY_BYTES} bytes`);
  return /\.(ya?ml|json)$/i.test(file) ? parseYamlInventory(text, file) : parseIniInventory(text, file);
}

// Groups with their children's hosts, and every host's variables merged all → groups → host.
function buildInventory(builder: Builder, source: string): Inventory {
  const groups = new Map<string, string[]>();
  const members = (group: string, seen: Set<string>): Set<string> => {
    if (seen.has(group)) throw new InputError(`${source}: group ${group} is its own descendant`);
    const next = new Set([...seen, group]);
    const hosts = new Set(builder.groupHosts.get(group) ?? []);
    for (const child of builder.groupChildren.get(group) ?? []) for (const host of members(child, next)) hosts.add(host);
    return hosts;
  };
  const names = new Set([...builder.groupHosts.keys(), ...builder.groupChildren.keys()]);
  for (const group of names) groups.set(group, [...members(group, new Set())]);
  groups.set('all', [...builder.hostVars.keys()]);
  const hosts = new Map<string, InventoryHost>();
  for (const [name, own] of builder.hostVars) {
    const vars: Record<string, string> = { ...builder.groupVars.get('all') };
    for (const [group, groupVars] of builder.groupVars) if (group !== 'all' && groups.get(group)?.includes(name)) Object.assign(vars, groupVars);
    hosts.set(name, { name, vars: { ...vars, ...own } });
  }
  return { hosts, groups, source };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown, path: string, source: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isRecord(value)) throw new InputError(`${source}: ${path}: expected a mapping`);
  return value;
}

function stringifyVars(value: unknown, path: string, source: string): Record<string, string> {
  return Object.fromEntries(Object.entries(asRecord(value, path, source)).map(([key, item]) => [key, typeof item === 'string' ? item : JSON.stringify(item)]));
}
