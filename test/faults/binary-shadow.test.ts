// binary.shadow against a live reference orchestrator: tmux and python3 vanish from the target's PATH
// (its scheduler's check-ins fail) while faultline's own tmux keeps working; rollback removes exactly the shadow.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import binaryShadow from '../../src/faults/binary-shadow.js';
import { findOnPath, getPathEntries } from '../../src/faults/path-lookup.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import type { Target } from '../../src/targets/types.js';
import { disposeAll, injectFault, prepareFault, startTarget, waitFor } from './fault-steps.js';

let target: ReferenceTarget;
const onTargetPath = (name: string) => findOnPath(name, getPathEntries(target.env));

beforeAll(async () => {
  target = await startTarget({ checkinIntervalMs: 100 });
});
afterAll(disposeAll);

describe('binary.shadow', () => {
  test('shadows tmux on the target’s PATH: the scheduler’s check-ins fail; rollback restores PATH resolution', async () => {
    const real = onTargetPath('tmux');
    const log = join(target.dir, 'logs', 'orchestrator.log');
    const fault = await injectFault(target, { type: 'binary.shadow', binary: 'tmux' });
    const shadow = join(target.dir, 'bin', 'tmux');
    expect(onTargetPath('tmux')).toBe(shadow);
    const run = await execa('tmux', ['-V'], { env: target.env, extendEnv: false, reject: false });
    expect(run.exitCode).toBe(127);
    expect(run.stderr).toContain('shadowed by faultline');
    await waitFor('a failed check-in in the orchestrator log', () => /check-in \d+ failed/.test(readFileSync(log, 'utf8')));
    expect((await target.tmux(['has-session', '-t', '=tmux-orc'])).exitCode).toBe(0); // faultline's own tmux is untouched

    expect(await fault.rollback()).toMatchObject({ ok: true });
    expect(existsSync(shadow)).toBe(false);
    expect(onTargetPath('tmux')).toBe(real);
    expect(await fault.rollback()).toMatchObject({ ok: true, detail: expect.stringContaining('already gone') });
  });

  test('shadows python3 (SPOF-002): a utility the target runs through its PATH exits 127', async () => {
    const fault = await injectFault(target, { type: 'binary.shadow', binary: 'python3' });
    const run = await execa('sh', ['-c', 'python3 -c "print(1)"'], { env: target.env, extendEnv: false, reject: false });
    expect(run.exitCode).toBe(127);
    expect((await fault.rollback()).ok).toBe(true);
    expect(existsSync(join(target.dir, 'bin', 'python3'))).toBe(false);
  });

  test('never replaces a file it did not create, and a changed shadow is left in place and reported', async () => {
    const mine = join(target.dir, 'bin', 'helper');
    writeFileSync(mine, '#!/bin/sh\nexit 0\n', { mode: 0o755 });
    await expect(prepareFault(target, { type: 'binary.shadow', binary: 'helper' })).rejects.toThrow(/^fault\.binary: .*helper already exists/);
    expect(readFileSync(mine, 'utf8')).toBe('#!/bin/sh\nexit 0\n');

    const fault = await injectFault(target, { type: 'binary.shadow', binary: 'jq' });
    writeFileSync(join(target.dir, 'bin', 'jq'), 'changed by someone else');
    expect(await fault.rollback()).toMatchObject({ ok: false, detail: expect.stringContaining('left in place') });
  });

  test('refuses a target whose PATH does not start under its roots, and a name with a slash', async () => {
    const outside: Target = { ...target, env: { PATH: '/usr/local/bin:/usr/bin' }, roots: target.roots, resolvePath: (path) => target.resolvePath(path), tmux: (args) => target.tmux(args), describe: () => ({}) };
    await expect(prepareFault(outside, { type: 'binary.shadow', binary: 'tmux' })).rejects.toThrow(/^fault\.binary: \/usr\/local\/bin, first on the target’s PATH, is outside the target’s roots/);
    await expect(prepareFault(target, { type: 'binary.shadow', binary: '../tmux' })).rejects.toThrow(/invalid fault params/);
  });
});

describe('binary.shadow cut short while it writes the shadow', () => {
  const dist = join(import.meta.dirname, '..', '..', 'dist', 'faults', 'binary-shadow.js');
  const hasPrlimit = (() => {
    try {
      execFileSync('prlimit', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  // A file-size limit of 16 bytes makes the write of the script fail after 16 bytes, as a kill or a full disk would.
  test.skipIf(!hasPrlimit)('leaves nothing at the name, and rollback (what recover runs) clears what it left', async () => {
    const home = mkdtempSync(join(tmpdir(), 'faultline-shadow-cut-'));
    try {
      const bin = join(home, 'bin');
      mkdirSync(bin);
      const script = `
        const { default: fault } = await import(${JSON.stringify(dist)});
        const target = { name: 't', home: ${JSON.stringify(home)}, roots: [${JSON.stringify(home)}], env: { PATH: ${JSON.stringify(`${bin}:/usr/bin:/bin`)} }, resolvePath: (p) => p };
        const context = { target, stateDir: ${JSON.stringify(home)} };
        const state = await fault.prepare({ type: 'binary.shadow', binary: 'jq' }, context);
        process.stdout.write(JSON.stringify(state));
        await fault.inject({ type: 'binary.shadow', binary: 'jq' }, context, state).catch(() => undefined);`;
      const stateText = execFileSync('prlimit', ['--fsize=16', '--', process.execPath, '--input-type=module', '-e', script], { encoding: 'utf8' });
      const state = JSON.parse(stateText) as Record<string, unknown>;
      const target = { name: 't', home, roots: [home], env: { PATH: `${bin}:/usr/bin:/bin` }, resolvePath: (path: string) => path } as unknown as Target;
      // Never a partial script first on the target's PATH.
      expect(existsSync(join(bin, 'jq'))).toBe(false);
      const result = await binaryShadow.rollback({ type: 'binary.shadow', binary: 'jq' } as never, { target, stateDir: home } as never, state);
      expect(result).toMatchObject({ ok: true });
      expect(readdirSync(bin)).toEqual([]);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
