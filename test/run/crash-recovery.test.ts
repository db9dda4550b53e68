import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { sha256File as sha256 } from '../targets/reference/helpers.js';
import { createCrashWorkspace, readJournalTypes, waitForExit, type CrashWorkspace } from '../helpers/crash-harness.js';

const corruptScenario = `
id: crash-corrupt-config
title: config corrupted while the runner dies
steadyState:
  - probe: file.parses
    path: config/orchestrator.conf
    format: shell
fault:
  type: config.corrupt
  path: config/orchestrator.conf
  mode: random-bytes
  seed: 7
  bytes: 64
runs: 1
timeoutMs: 30000
stabilizeMs: 100
`;

let workspace: CrashWorkspace;
beforeEach(async () => {
  workspace = await createCrashWorkspace({ heal: false });
});
afterEach(async () => {
  await workspace.dispose();
});

describe('crash safety of config.corrupt', () => {
  test('after kill -9 of the runner, `faultline recover` restores the config byte for byte', async () => {
    const config = join(workspace.target.dir, 'config', 'orchestrator.conf');
    const before = sha256(config);
    const child = await workspace.startRunUntilInjected(workspace.writeScenario('corrupt.yaml', corruptScenario));
    expect(sha256(config)).not.toBe(before);
    child.kill('SIGKILL');
    await waitForExit(child);

    const blocked = await workspace.faultline(['run', 'corrupt.yaml', '--target-dir', workspace.target.dir, '--reports', workspace.reportsDir]);
    expect(blocked.exitCode).toBe(3);
    expect(blocked.stderr).toMatch(/faultline recover/);

    const recovered = await workspace.faultline(['recover']);
    expect(recovered.exitCode).toBe(0);
    expect(recovered.stdout).toMatch(/✓ config\.corrupt/);
    expect(sha256(config)).toBe(before);
    expect((await workspace.faultline(['recover'])).stdout).toMatch(/nothing to recover/);
  });

  test('SIGINT mid-run rolls back, keeps the journal and exits 3', async () => {
    const config = join(workspace.target.dir, 'config', 'orchestrator.conf');
    const before = sha256(config);
    const child = await workspace.startRunUntilInjected(workspace.writeScenario('corrupt.yaml', corruptScenario));
    child.kill('SIGINT');
    const { code } = await waitForExit(child);
    expect(code).toBe(3);
    expect(sha256(config)).toBe(before);
    const types = readJournalTypes(workspace.reportsDir);
    expect(types).toContain('fault.rollback');
    // The interrupt is an event of the run, before the rollback it causes.
    expect(types.indexOf('interrupted')).toBeGreaterThan(-1);
    expect(types.indexOf('interrupted')).toBeLessThan(types.lastIndexOf('fault.rollback'));
    expect(types.at(-1)).toBe('run.end');
    expect((await workspace.faultline(['recover'])).stdout).toMatch(/nothing to recover/);
  });
});
