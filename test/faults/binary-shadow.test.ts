// binary.shadow against a live reference orchestrator: tmux and python3 vanish from the target's PATH
// (its scheduler's check-ins fail) while faultline's own tmux keeps working; rollback removes exactly the shadow.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
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
