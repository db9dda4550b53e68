import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Ledger } from '../../src/run/ledger.js';
import { recoverIntents } from '../../src/run/recover.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';
import { openExternalTarget } from '../../src/targets/external.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-review-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('safety of recover, targets and verdicts', () => {
  test('recover leaves the intents of a run that is still alive, unless forced', async () => {
    // A stand-in for a live runner: a process of ours whose command line names faultline.
    const runner = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 20000)', 'faultline'], { stdio: 'ignore' });
    try {
      const ledger = new Ledger(join(work, 'state'));
      ledger.open({ id: 'live', kind: 'target', createdAt: new Date().toISOString(), pid: runner.pid!, runId: 'r', target: { driver: 'external', file: join(work, 'none.yaml') } });
      const skipped = await recoverIntents(ledger);
      expect(skipped.failed).toBe(1);
      expect(skipped.lines[0]).toMatch(/is alive but does not hold the target .*--force/);
      expect(ledger.list()).toHaveLength(1);
      const forced = await recoverIntents(ledger, { force: true });
      expect(forced.recovered).toBe(1);
      expect(ledger.list()).toEqual([]);
    } finally {
      runner.kill('SIGKILL');
    }
  });

  test('a target file naming the default tmux server is refused', async () => {
    const file = join(work, 'target.yaml');
    writeFileSync(file, `name: mine\ntmux: { socketName: default }\nhome: ${work}\nroots: [${work}]\n`);
    await expect(openExternalTarget(file)).rejects.toThrow(/default tmux server/);
    writeFileSync(file, `name: mine\ntmux: { socketPath: /tmp/tmux-0/default }\nhome: ${work}\nroots: [${work}]\n`);
    await expect(openExternalTarget(file)).rejects.toThrow(/default tmux server/);
  });

  test('a fault no probe saw, with no repair recorded by the target, is not counted as recovered', async () => {
    const file = join(work, 'blind.yaml');
    // The only probe watches tmux; the fault corrupts the config: the probe is blind to it.
    writeFileSync(file, 'id: blind-probe\ntitle: blind probe\nsteadyState:\n  - { probe: tmux.session, session: tmux-orc }\nfault: { type: config.corrupt, path: config/orchestrator.conf, mode: syntax }\nruns: 1\ntimeoutMs: 1000\nstabilizeMs: 100\n');
    const outcome = await runScenarios(await loadScenarios([file]), { heal: false, gate: true, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')) });
    const run = outcome.summary.scenarios[0]!.runs[0]!;
    expect(run).toMatchObject({ status: 'completed', detected: false, recovered: false, rtoMs: null });
    expect(run.reason).toMatch(/unproven/);
    expect(run.rollback?.ok).toBe(true);
    expect(outcome.exitCode).toBe(1);
  });
});
