// fleet/inventory and fleet/select-hosts: Ansible's INI and YAML inventories (groups, children, vars,
// ranges), and the blast radius: count, percent, first, seeded random, serial batches.
import { describe, expect, test } from 'vitest';
import { createListInventory, expandHostPattern, parseIniInventory, parseYamlInventory } from '../../src/fleet/inventory.js';
import { selectHosts, splitBatches } from '../../src/fleet/select-hosts.js';
import { buildAgentArgv, toCloseMasterArgv } from '../../src/fleet/ssh-command.js';

const ini = `
# the web tier
[web]
web[01:03] ansible_user=deploy
db1 ansible_host=10.0.0.9 ansible_port=2222

[web:vars]
faultline_target=/srv/app/target.yaml

[all:vars]
ansible_user=ops
faultline_agent="faultline agent --stdio"

[prod:children]
web
`;

const yamlText = `
all:
  vars: { ansible_user: ops }
  children:
    web:
      hosts:
        a: { ansible_host: 10.1.0.2 }
        b:
      vars: { faultline_target: /srv/t.yaml }
    db:
      hosts:
        c: { ansible_port: 2200 }
`;

describe('inventories', () => {
  test('an INI inventory gives groups with children, ranges and variables merged all → group → host', () => {
    const inventory = parseIniInventory(ini, 'hosts.ini');
    expect(inventory.groups.get('web')).toEqual(['web01', 'web02', 'web03', 'db1']);
    expect(inventory.groups.get('prod')).toEqual(['web01', 'web02', 'web03', 'db1']);
    expect(inventory.groups.get('all')).toHaveLength(4);
    expect(inventory.hosts.get('web02')!.vars).toMatchObject({ ansible_user: 'deploy', faultline_target: '/srv/app/target.yaml', faultline_agent: 'faultline agent --stdio' });
    expect(inventory.hosts.get('db1')!.vars).toMatchObject({ ansible_user: 'ops', ansible_host: '10.0.0.9', ansible_port: '2222' });
  });

  test('a YAML inventory gives the same shape', () => {
    const inventory = parseYamlInventory(yamlText, 'hosts.yaml');
    expect(inventory.groups.get('web')).toEqual(['a', 'b']);
    expect(inventory.groups.get('db')).toEqual(['c']);
    expect(inventory.hosts.get('b')!.vars).toEqual({ ansible_user: 'ops', faultline_target: '/srv/t.yaml' });
    expect(inventory.hosts.get('c')!.vars).toEqual({ ansible_user: 'ops', ansible_port: '2200' });
  });

  test('bad lines and cycles are refused with the place named', () => {
    expect(() => parseIniInventory('[web]\nh1 notkeyvalue', 'x.ini')).toThrow(/x\.ini:2: expected key=value/);
    expect(() => parseIniInventory('[a:children]\nb\n[b:children]\na\n', 'x.ini')).toThrow(/its own descendant/);
    expect(() => parseYamlInventory('- a\n- b\n', 'x.yaml')).toThrow(/expected a mapping of groups/);
    expect(expandHostPattern('n[8:10].lan')).toEqual(['n8.lan', 'n9.lan', 'n10.lan']);
  });
});

describe('host selection', () => {
  const inventory = createListInventory(['h[1:10]']);

  test('count and percent choose that many, first in inventory order', () => {
    expect(selectHosts(inventory, { count: 2 }, 's')).toEqual(['h1', 'h2']);
    expect(selectHosts(inventory, { percent: 25 }, 's')).toEqual(['h1', 'h2', 'h3']);
    expect(selectHosts(inventory, {}, 's')).toHaveLength(10);
  });

  test('random picks are seeded: the same seed gives the same hosts, another seed others', () => {
    const a = selectHosts(inventory, { count: 3, pick: 'random', seed: 42 }, 's');
    expect(selectHosts(inventory, { count: 3, pick: 'random', seed: 42 }, 's')).toEqual(a);
    expect(new Set(a).size).toBe(3);
    const others = [1, 2, 3, 4, 5].map((seed) => selectHosts(inventory, { count: 3, pick: 'random', seed }, 's').join());
    expect(new Set([a.join(), ...others]).size).toBeGreaterThan(1);
    // Without a seed, the scenario id seeds it: stable for one scenario.
    expect(selectHosts(inventory, { count: 3, pick: 'random' }, 'x')).toEqual(selectHosts(inventory, { count: 3, pick: 'random' }, 'x'));
  });

  test('impossible selections are refused', () => {
    expect(() => selectHosts(inventory, { count: 11 }, 's')).toThrow(/11 hosts asked for, and group all has 10/);
    expect(() => selectHosts(inventory, { group: 'web' }, 's')).toThrow(/has no group "web"/);
    expect(() => selectHosts(inventory, { count: 1, percent: 5 }, 's')).toThrow(/not both/);
  });

  test('serial splits into batches by number or percent', () => {
    const hosts = ['a', 'b', 'c', 'd', 'e'];
    expect(splitBatches(hosts, undefined)).toEqual([hosts]);
    expect(splitBatches(hosts, 2)).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(splitBatches(hosts, '40%')).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
    expect(() => splitBatches(hosts, 'many')).toThrow(/serial/);
  });
});

describe('ssh argv', () => {
  test('the system ssh with ControlMaster, BatchMode and strict host keys; the inventory’s port, user and config', () => {
    const inventory = parseIniInventory(ini, 'hosts.ini');
    const argv = buildAgentArgv(inventory.hosts.get('db1')!, '/tmp/cm');
    expect(argv[0]).toBe('ssh');
    expect(argv).toEqual(expect.arrayContaining(['BatchMode=yes', 'StrictHostKeyChecking=yes', 'ControlMaster=auto', 'ControlPath=/tmp/cm/%C']));
    expect(argv.slice(-4)).toEqual(['ops', '10.0.0.9', '--', 'faultline agent --stdio']);
    expect(argv.join(' ')).toContain('-p 2222');
    expect(toCloseMasterArgv(argv)).toEqual(['ssh', '-O', 'exit', ...argv.slice(1, -2)]);
  });

  test('host-key checking can be relaxed to accept-new only, never turned off', () => {
    const host = { name: 'h', vars: { faultline_strict_host_key_checking: 'no' } };
    expect(() => buildAgentArgv(host, '/tmp/cm')).toThrow(/yes or accept-new/);
    expect(() => buildAgentArgv({ name: '-oProxyCommand=x', vars: {} }, '/tmp/cm')).toThrow(/starts with "-"/);
  });
});
