// file.append as root against a target that swaps its canary file for a link (to a root-owned 0600
// decoy outside the instance) or a hard link to it: the append and the read never go through it.
import { afterEach, describe, expect, test } from 'vitest';
import { getCanaryDefinition } from '../../src/canaries/registry.js';
import { canRunHostile, createHostileInstance, type HostileInstance, type SwapKind } from '../helpers/hostile-target.js';

const instances: HostileInstance[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.dispose();
});

describe.skipIf(!canRunHostile())('file.append canary against a swapped file', () => {
  test.each<SwapKind>(['symlink', 'hardlink'])('swapped for a %s: the decoy is untouched, the send is rejected with the reason', async (kind) => {
    const instance = createHostileInstance();
    instances.push(instance);
    const canary = getCanaryDefinition('file.append').create({ type: 'file.append', path: 'logs/orchestrator.log' } as never, { target: instance.target } as never);
    expect(await canary.send('token-1')).toMatchObject({ accepted: true });
    const before = instance.readDecoy();
    instance.swap('logs/orchestrator.log', kind);
    const sent = await canary.send('token-2');
    expect(instance.readDecoy()).toEqual(before);
    expect(sent.accepted).toBe(false);
    expect(String(sent.detail)).toMatch(/symlink|hard link/);
    expect(await canary.collect()).not.toContain('secret');
  });
});
