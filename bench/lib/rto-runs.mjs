// Part A of bench:accuracy: whole scenario runs (runScenarios) against the reference orchestrator,
// its healer's repair timestamps as the ground truth of recovery.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ledger } from '../../dist/run/ledger.js';
import { runScenarios } from '../../dist/run/run-scenarios.js';
import { startReference, stopReference } from '../../dist/targets/reference/index.js';
import { raisePriority, setOwnPriority } from './priority.mjs';

/** An in-memory scenario: kill proj-a's agent window, watch it with one tmux.window probe. */
export function createKillWindowScenario({ id, runs, probe }) {
  return {
    id,
    title: id,
    tags: [],
    target: 'reference',
    steadyState: [{ probe: 'tmux.window', session: 'proj-a', window: 'Claude-Agent', ...probe }],
    fault: { type: 'tmux.kill-window', session: 'proj-a', window: 'Claude-Agent' },
    expect: {},
    runs,
    timeoutMs: 5000,
    stabilizeMs: 100,
    steadyStateWaitMs: 5000,
    sampleIntervalMs: 50,
    source: { file: join(process.cwd(), 'bench', 'accuracy.mjs'), index: 0 },
  };
}

/**
 * Runs a scenario on a fresh instance whose healer waits `healDelayMs`; per run, the measured RTO and TTD, and
 * the truth: the healer's last repair of the window before the stable window ended (its `t` is taken
 * right after the repair command returned).
 */
export async function measureAgainstHealer(scenario, healDelayMs) {
  setOwnPriority('normal');
  const target = await startReference({ healDelayMs });
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-'));
  try {
    raisePriority(target.state.pids.healer);
    setOwnPriority('raised');
    const outcome = await runScenarios([scenario], { heal: true, gate: false, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'state')), targetDir: target.dir });
    return outcome.summary.scenarios[0].runs.map((run) => {
      const repairs = run.targetSignals.filter((signal) => signal.event === 'repair' && signal.component === 'window' && signal.offsetMs >= 0 && run.rtoMs !== null && signal.offsetMs <= run.rtoMs + scenario.stabilizeMs);
      const truth = repairs.at(-1)?.offsetMs;
      return {
        status: run.status,
        recovered: run.recovered,
        rtoMs: run.rtoMs,
        ttdMs: run.ttdMs,
        rtoResolutionMs: run.rtoResolutionMs,
        rtoError: run.rtoMs !== null && truth !== undefined ? run.rtoMs - truth : undefined,
        // The stamp comes after the change: a sound window opens no later than the stamp.
        windowHoldsTruth: run.rtoMs !== null && truth !== undefined ? run.rtoMs - run.rtoResolutionMs <= truth : undefined,
      };
    });
  } finally {
    await stopReference(target.dir);
    rmSync(work, { recursive: true, force: true });
  }
}
