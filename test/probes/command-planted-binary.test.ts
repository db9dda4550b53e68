// The command probe and canary as root against a target whose uid owns bin/ at the head of its PATH
// (as the reference's does) and plants a program there: it never runs as root.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { getCanaryDefinition } from '../../src/canaries/registry.js';
import { getProbeDefinition } from '../../src/probes/registry.js';
import { ReferenceTarget } from '../../src/targets/reference/reference-target.js';
import type { Target } from '../../src/targets/types.js';
import { canRunHostile, createHostileInstance, type HostileInstance } from '../helpers/hostile-target.js';

const instances: HostileInstance[] = [];
afterEach(() => {
  for (const instance of instances.splice(0)) instance.dispose();
});

// The instance with bin/<name> planted by its uid (writes `id -u` to tmp/ran-as), and a target over it
// with that bin/ first on PATH; `dedicated`: the target declares the uid as its identity (the reference's case).
function plant(name: string, dedicated: boolean): { instance: HostileInstance; target: Target; ranAs: string } {
  const instance = createHostileInstance();
  instances.push(instance);
  const bin = join(instance.dir, 'bin');
  instance.runAsTarget(['sh', '-c', 'mkdir -p "$1" && printf \'#!/bin/sh\\nid -u > %s\\n\' "$2" > "$1/$3" && chmod 755 "$1/$3"', 'sh', bin, join(instance.dir, 'tmp', 'ran-as'), name]);
  const overrides = { env: { PATH: `${bin}:/usr/local/bin:/usr/bin:/bin` }, ...(dedicated ? { runAs: { uid: instance.uid, gid: instance.uid } } : {}) };
  const target = Object.assign(Object.create(instance.target) as Target, overrides);
  return { instance, target, ranAs: join(instance.dir, 'tmp', 'ran-as') };
}

const probe = (target: Target, run: string[]) => getProbeDefinition('command').create({ probe: 'command', run } as never, { target } as never);

describe.skipIf(!canRunHostile())('a program the target planted on its PATH', () => {
  test('with a dedicated uid: the command probe runs it as that uid, never as root', async () => {
    for (const run of [['curl'], ['sh', '-c', 'curl']]) {
      const { instance, target, ranAs } = plant('curl', true);
      expect(await probe(target, run).check()).toEqual({ ok: true });
      expect(readFileSync(ranAs, 'utf8').trim()).toBe(String(instance.uid));
    }
  });

  test('with a dedicated uid: the command canary runs it as that uid, never as root', async () => {
    const { instance, target, ranAs } = plant('fl-store', true);
    const canary = getCanaryDefinition('command').create({ type: 'command', write: ['fl-store'], read: ['true'] } as never, { target } as never);
    expect(await canary.send('token-1')).toMatchObject({ accepted: true });
    expect(readFileSync(ranAs, 'utf8').trim()).toBe(String(instance.uid));
  });

  test('without one (the target runs as root): the planted directory is left off PATH and a name only it has is refused, naming it', async () => {
    const { instance, target, ranAs } = plant('fl-planted', false);
    const direct = await probe(target, ['fl-planted']).check().then((result) => result, (error: Error) => ({ ok: false, detail: error.message }));
    expect(direct.ok).toBe(false);
    expect(direct.detail).toContain(join(instance.dir, 'bin'));
    expect(await probe(target, ['sh', '-c', 'fl-planted']).check()).toMatchObject({ ok: false });
    expect(existsSync(ranAs)).toBe(false);
    // A program from a root-owned directory still runs.
    expect(await probe(target, ['sh', '-c', 'exit 0']).check()).toEqual({ ok: true });
  });

  test('a reference target runs its commands as the owner of its dir, whatever runAs target.json claims', async () => {
    const { instance, ranAs } = plant('curl', false);
    for (const claimed of [0, 1000]) {
      const target = new ReferenceTarget({ dir: instance.dir, socketPath: join(instance.dir, 'tmux.sock'), env: { PATH: `${join(instance.dir, 'bin')}:/usr/bin:/bin` }, runAs: { uid: claimed, gid: claimed } } as never);
      expect(target.runAs).toEqual({ uid: instance.uid, gid: instance.uid });
      expect(await probe(target, ['curl']).check()).toEqual({ ok: true });
      expect(readFileSync(ranAs, 'utf8').trim()).toBe(String(instance.uid));
    }
  });
});
