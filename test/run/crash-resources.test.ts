// Crash safety of the stateful disk and resource faults: the runner is killed with SIGKILL while the
// fault is in effect, and `faultline recover` removes the filler / reaps every hog it left behind.
import { readFileSync, readdirSync, rmSync, statSync, statfsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createCrashWorkspace, waitForExit, type CrashWorkspace } from '../helpers/crash-harness.js';

const isRoot = process.getuid?.() === 0;
let workspace: CrashWorkspace;
beforeAll(async () => {
  workspace = await createCrashWorkspace({ heal: false });
  if (isRoot) expect(workspace.target.state.runAs?.dedicated).toBe(true); // hogs must be told apart by uid
});
afterAll(async () => {
  await workspace?.dispose();
});

const scenario = (id: string, fault: string) => `
id: ${id}
title: ${id}
steadyState:
  - probe: tmux.session
    session: tmux-orc
fault: ${fault}
runs: 1
timeoutMs: 30000
stabilizeMs: 100
`;

// Live processes of this workspace's instance (its own uid: other test files run in parallel) that carry
// a fault marker (FAULTLINE_HOG=…) in their environment.
function findMarkedProcesses(): number[] {
  const uid = workspace.target.state.runAs!.uid;
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .filter((name) => {
      try {
        if (statSync(`/proc/${name}`).uid !== uid) return false;
        return readFileSync(`/proc/${name}/environ`).includes('FAULTLINE_HOG=') && !/^\S+ \(.*\) [ZX]/.test(readFileSync(`/proc/${name}/stat`, 'utf8'));
      } catch {
        return false;
      }
    })
    .map(Number);
}

/** Starts the run, waits for the fault, SIGKILLs the runner, checks it is still in effect, then recovers. */
async function crashAndRecover(name: string, fault: string, inEffect: () => boolean): Promise<void> {
  rmSync(workspace.reportsDir, { recursive: true, force: true }); // the harness watches the newest journal: no earlier run's
  const child = await workspace.startRunUntilInjected(workspace.writeScenario(`${name}.yaml`, scenario(name, fault)));
  child.kill('SIGKILL');
  await waitForExit(child);
  let recovered: Awaited<ReturnType<CrashWorkspace['faultline']>> | undefined;
  try {
    expect(inEffect()).toBe(true);
  } finally {
    recovered = await workspace.faultline(['recover']); // also when the check failed: the next test needs a clean ledger
  }
  expect(recovered.exitCode).toBe(0);
  expect(recovered.stdout).toMatch(/✓ /);
  expect((await workspace.faultline(['recover'])).stdout).toMatch(/nothing to recover/);
}

describe.skipIf(!isRoot)('crash safety of disk and resource faults (as root)', () => {
  test('disk.fill: after kill -9, recover removes the filler and the space is back', async () => {
    const data = join(workspace.target.dir, 'data');
    const free = () => statfsSync(data).bavail * statfsSync(data).bsize;
    const before = free();
    await crashAndRecover('crash-fill', '{ type: disk.fill, path: data, bytesFree: 0 }', () => free() < 4096);
    expect(readdirSync(data).filter((entry) => entry.startsWith('.faultline-fill-'))).toEqual([]);
    expect(free()).toBeGreaterThanOrEqual(before - 64 * 1024);
  });

  test('resource.exhaust-processes: after kill -9, recover reaps every sleeper', async () => {
    await crashAndRecover('crash-processes', '{ type: resource.exhaust-processes, durationMs: 60000 }', () => findMarkedProcesses().length > 20);
    expect(findMarkedProcesses()).toEqual([]);
  });

  test('resource.exhaust-memory and resource.cpu-hog: after kill -9, recover reaps the hogs', async () => {
    await crashAndRecover('crash-memory', '{ type: resource.exhaust-memory, mib: 64, durationMs: 60000 }', () => findMarkedProcesses().length === 1);
    expect(findMarkedProcesses()).toEqual([]);
    await crashAndRecover('crash-cpu', '{ type: resource.cpu-hog, cores: 1, durationMs: 60000 }', () => findMarkedProcesses().length === 1);
    expect(findMarkedProcesses()).toEqual([]);
  });

  test('disk.log-growth: after kill -9, recover takes the marked lines out of the log and keeps the rest', async () => {
    const log = join(workspace.target.dir, 'logs', 'orchestrator.log');
    const marked = () => readFileSync(log, 'utf8').includes('faultline disk.log-growth');
    await crashAndRecover('crash-log', '{ type: disk.log-growth, path: logs/orchestrator.log, bytesPerSecond: 1048576 }', marked);
    expect(marked()).toBe(false);
    expect(readFileSync(log, 'utf8')).toMatch(/orchestrator started/);
  });

  test('disk.temp-files: after kill -9, recover removes the files', async () => {
    const tmp = join(workspace.target.dir, 'tmp');
    await crashAndRecover('crash-temp', '{ type: disk.temp-files, path: tmp, count: 200 }', () => readdirSync(tmp).length === 200);
    expect(readdirSync(tmp)).toEqual([]);
  });
});
