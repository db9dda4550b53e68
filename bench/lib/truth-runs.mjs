// The independent-truth section of bench:accuracy: whole scenario runs (runScenarios) against a tmux
// server healed only by its own hooks — no faultline healer, no reference orchestrator. The truth is
// logged by the target itself: the hook's job stamps when it starts the repair, the re-created pane's
// command stamps when it starts ($EPOCHREALTIME, the same epoch clock as faultline's epochMs): the
// object came back between the two stamps.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { readJournal } from '../../dist/journal/reader.js';
import { Ledger } from '../../dist/run/ledger.js';
import { runScenarios } from '../../dist/run/run-scenarios.js';

const POLL_MS = 50;

/**
 * The rows: a fault, the hook that heals it, the steady state that sees it. `budget(loaded)`: the
 * |error| p95 it must stay within. tmux 3.3a misses pane-died when the pty closes before SIGCHLD
 * arrives, so the pane command keeps its pty open 20 ms past its own exit (a helper holding it).
 */
export const TRUTH_ROWS = [
  {
    name: 'kill-pane-process (polled every 50 ms)',
    sessions: [['proj', 'agent']],
    options: ['set', '-g', 'remain-on-exit', 'on'],
    hook: 'pane-died',
    heal: (tmux) => `${tmux} respawn-pane -k -t '=proj:agent'`,
    fault: { type: 'process.kill', pane: 'proj:agent.0' },
    steadyState: [{ probe: 'tmux.pane-alive', session: 'proj', window: 'agent', intervalMs: POLL_MS }],
    budget: () => POLL_MS + 5,
  },
  {
    name: 'kill-window',
    sessions: [['proj', 'agent', 'other']],
    options: [],
    hook: 'window-unlinked',
    heal: (tmux, pane) => `${tmux} new-window -d -t '=proj' -n agent '${pane}'`,
    fault: { type: 'tmux.kill-window', session: 'proj', window: 'agent' },
    steadyState: [{ probe: 'tmux.window', session: 'proj', window: 'agent' }],
    budget: (loaded) => (loaded ? 10 : 5),
  },
  {
    name: 'kill-session (the only session)',
    sessions: [['solo', 'main']],
    options: [],
    hook: 'session-closed',
    heal: (tmux, pane) => `${tmux} new-session -d -s solo -n main '${pane}'`,
    fault: { type: 'tmux.kill-session', session: 'solo' },
    steadyState: [{ probe: 'tmux.session', session: 'solo' }, { probe: 'tmux.window', session: 'solo', window: 'main' }],
    budget: () => 20,
  },
  {
    name: 'kill-session (another alive)',
    sessions: [['proj', 'main'], ['keep', 'main']],
    options: [],
    hook: 'session-closed',
    heal: (tmux, pane) => `${tmux} new-session -d -s proj -n main '${pane}'`,
    fault: { type: 'tmux.kill-session', session: 'proj' },
    steadyState: [{ probe: 'tmux.session', session: 'proj' }],
    budget: (loaded) => (loaded ? 10 : 5),
  },
];

// A tmux server with the row's sessions, `exit-empty off`, and the hook that heals after `delaySeconds`.
async function startHealingServer(dir, row, delaySeconds) {
  const socket = join(dir, 'tmux.sock');
  const log = join(dir, 'stamps');
  const pane = join(dir, 'pane.sh');
  const heal = join(dir, 'heal.sh');
  const tmux = `tmux -S '${socket}'`;
  writeFileSync(log, '');
  writeFileSync(pane, `#!/bin/bash\necho "pane $EPOCHREALTIME" >> '${log}'\nexec 3> >(trap '' HUP; cat > /dev/null; sleep 0.02)\nexec sleep 3600\n`);
  writeFileSync(heal, `#!/bin/bash\necho "hook $EPOCHREALTIME" >> '${log}'\nexec ${row.heal(tmux, pane)}\n`);
  chmodSync(pane, 0o755);
  chmodSync(heal, 0o755);
  const args = [];
  row.sessions.forEach(([session, first, ...more], index) => {
    if (index > 0) args.push(';');
    args.push('new-session', '-d', '-s', session, '-n', first, pane);
    for (const window of more) args.push(';', 'new-window', '-d', '-t', `=${session}`, '-n', window, pane);
  });
  args.push(';', 'set', '-g', 'exit-empty', 'off', ';', 'set-hook', '-g', row.hook, `run-shell -d ${delaySeconds} '${heal}'`);
  if (row.options.length) args.push(';', ...row.options);
  const started = await execa('tmux', ['-f', '/dev/null', '-S', socket, ...args], { reject: false, stdin: 'ignore', env: { TMUX: '' } });
  if (started.exitCode !== 0) throw new Error(`cannot start the self-healing tmux server: ${started.stderr}`);
  writeFileSync(join(dir, 'target.yaml'), `name: self-healing tmux\ntmux: { socketPath: '${socket}' }\nhome: '${dir}'\nroots: ['${dir}']\n`);
  return {
    file: join(dir, 'target.yaml'),
    stamps: () => readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' ')).map(([kind, value]) => ({ kind, t: Number(value) * 1000 })),
    stop: () => execa('tmux', ['-S', socket, 'kill-server'], { reject: false }),
  };
}

/**
 * Runs `runs` repetitions of a row at one hook delay; per run the measured RTO, the truth (the pane's
 * stamp, ms after t0), the hook's stamp, the recovery window and whether it holds the truth.
 */
export async function measureAgainstHooks(row, delaySeconds, runs) {
  const dir = mkdtempSync(join(tmpdir(), 'fl-truth-'));
  const server = await startHealingServer(dir, row, delaySeconds);
  try {
    const scenario = {
      id: `truth-${row.hook}-${delaySeconds}`,
      title: row.name,
      tags: [],
      target: server.file,
      steadyState: row.steadyState,
      fault: row.fault,
      expect: {},
      runs,
      timeoutMs: delaySeconds * 1000 + 3000,
      stabilizeMs: 100,
      steadyStateWaitMs: 5000,
      sampleIntervalMs: POLL_MS,
      source: { file: join(dir, 'scenario.yaml'), index: 0 },
    };
    const outcome = await runScenarios([scenario], { heal: false, gate: false, reportsDir: join(dir, 'reports'), ledger: new Ledger(join(dir, 'state')) });
    const journal = await readJournal(join(outcome.runDir, 'journal.jsonl'));
    const stamps = server.stamps();
    return outcome.summary.scenarios[0].runs.map((run) => {
      const recover = journal.find((event) => event.type === 'recover' && event.run === run.index);
      const t0 = run.t0;
      const paneAt = stamps.findIndex((stamp) => stamp.kind === 'pane' && t0 !== null && stamp.t > t0);
      const truth = paneAt >= 0 ? stamps[paneAt].t - t0 : undefined;
      const hook = paneAt > 0 && stamps[paneAt - 1].kind === 'hook' ? stamps[paneAt - 1].t - t0 : truth;
      const from = recover?.fromMs;
      return {
        status: run.status,
        reason: run.reason,
        recovered: run.recovered,
        rtoMs: run.rtoMs,
        rtoResolutionMs: run.rtoResolutionMs,
        injectMs: run.inject?.durationMs,
        truth,
        error: run.rtoMs !== null && truth !== undefined ? run.rtoMs - truth : undefined,
        // The object came back within [hook, truth]: the recovery window must reach into it.
        holdsTruth: run.rtoMs !== null && truth !== undefined && from !== undefined ? from <= truth && run.rtoMs >= hook : false,
        window: from === undefined ? undefined : [from, run.rtoMs],
        hook,
      };
    });
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
