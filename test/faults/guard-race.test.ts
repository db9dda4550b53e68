// The roots check against a target that races it: while faults prepare, a flipper running as the
// target's own uid (setpriv) keeps swapping a directory symlink under the roots between a directory
// inside them and one outside (root-owned). Whatever a prepare sees, the fault must act inside the
// roots or refuse clearly: the outside file's mode and bytes, and the outside directory's entries,
// never change.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { getFaultDefinition } from '../../src/faults/registry.js';
import { canRunHostile, createHostileInstance } from '../helpers/hostile-target.js';
import { checkFaultParams, type FaultParams } from './fault-steps.js';

const disposables: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposables.splice(0).reverse()) dispose();
});

// Atomic swaps (symlink a temp name, rename it over `link`), as fast as python can: no fork per swap.
const FLIPPER = `
import os, sys
d, a, b = sys.argv[1], sys.argv[2], sys.argv[3]
tmp, link = os.path.join(d, '.flip'), os.path.join(d, 'link')
while True:
    for t in (a, b):
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        os.symlink(t, tmp)
        os.rename(tmp, link)
`;

function startFlipper(uid: number, dir: string, inside: string, outside: string): ChildProcess {
  // setpriv execs python: the child's pid is the flipper's, which the cleanup kills by that pid.
  const child = spawn('setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', '--', '/usr/bin/python3', '-c', FLIPPER, dir, inside, outside], { stdio: 'ignore' });
  disposables.push(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

function snapshot(dir: string): string {
  const names = readdirSync(dir).sort();
  return JSON.stringify(names.map((name) => {
    const stats = statSync(join(dir, name));
    return [name, stats.mode, stats.uid, createHash('sha256').update(readFileSync(join(dir, name))).digest('hex')];
  }));
}

const cases: Array<{ name: string; fault: FaultParams }> = [
  { name: 'file.chmod', fault: { type: 'file.chmod', path: 'link/victim.conf', mode: '000' } },
  { name: 'config.corrupt', fault: { type: 'config.corrupt', path: 'link/victim.conf', mode: 'random-bytes' } },
  { name: 'disk.temp-files', fault: { type: 'disk.temp-files', path: 'link', count: 2, sizeBytes: 64 } },
  { name: 'disk.log-growth', fault: { type: 'disk.log-growth', path: 'link/app.log', bytesPerSecond: 65_536, maxBytes: 4096 } },
];

describe.skipIf(!canRunHostile())('roots check raced by a flipping directory symlink', () => {
  test.each(cases)('$name: never acts outside the roots, refuses clearly', async ({ fault }) => {
    const instance = createHostileInstance();
    disposables.push(() => instance.dispose());
    const inside = join(instance.dir, 'sub');
    const outside = join(instance.base, 'outside');
    mkdirSync(inside);
    chownSync(inside, instance.uid, instance.uid);
    for (const name of ['victim.conf', 'app.log']) {
      writeFileSync(join(inside, name), 'A=1\n');
      chownSync(join(inside, name), instance.uid, instance.uid);
    }
    mkdirSync(outside, { mode: 0o755 });
    for (const name of ['victim.conf', 'app.log']) {
      writeFileSync(join(outside, name), 'ROOT=secret\n');
      chmodSync(join(outside, name), 0o644);
    }
    const before = snapshot(outside);
    const stateRoot = mkdtempSync(join(tmpdir(), 'faultline-guard-race-'));
    disposables.push(() => rmSync(stateRoot, { recursive: true, force: true }));
    const flipper = startFlipper(instance.uid, instance.dir, 'sub', outside);
    // Wait until it has made the link once.
    for (let i = 0; i < 200 && !readdirSync(instance.dir).includes('link'); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(readdirSync(instance.dir)).toContain('link');

    const params = checkFaultParams(fault);
    const definition = getFaultDefinition(params.type);
    const refusals = new Set<string>();
    let prepared = 0;
    const deadline = Date.now() + 40_000;
    for (let i = 0; i < 400 && Date.now() < deadline; i++) {
      const stateDir = join(stateRoot, String(i));
      mkdirSync(stateDir);
      const context = { target: instance.target, stateDir };
      let state;
      try {
        state = await definition.prepare(params as never, context);
      } catch (error) {
        refusals.add((error as Error).message.replace(/\d+/g, 'N'));
        continue;
      }
      prepared++;
      try {
        await definition.inject(params as never, context, state);
      } catch {
        // A refused write is fine; what matters is that nothing outside changed.
      }
      expect(snapshot(outside), `iteration ${i}: the fault acted outside the roots (state ${JSON.stringify(state)})`).toBe(before);
      await definition.rollback(params as never, context, state);
    }
    expect(flipper.exitCode).toBeNull();
    expect(snapshot(outside)).toBe(before);
    // Both sides of the flip were seen: some prepares went ahead inside, some were refused.
    expect(prepared).toBeGreaterThan(0);
    expect(refusals.size).toBeGreaterThan(0);
    for (const message of refusals) expect(message).toMatch(/outside the target's roots/);
  }, 120_000);
});
