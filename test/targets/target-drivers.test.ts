// Target files without tmux: capabilities refused by validate, declared processes (the upstream nohup'd
// scheduler), TMUX_TMPDIR sockets, the driver in the ledger, and reset hooks between scenarios.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import processStop from '../../src/faults/process-stop.js';
import { readProcess } from '../../src/faults/proc-table.js';
import { planScenarios } from '../../src/plan/plan-scenarios.js';
import { Ledger } from '../../src/run/ledger.js';
import { runScenarios } from '../../src/run/run-scenarios.js';
import { loadScenarios, validateScenarioFiles } from '../../src/scenario/load.js';
import { describeTargetForLedger, openTargetHandle } from '../../src/targets/open-target.js';
import { loadFileTarget } from '../../src/targets/external.js';
import { isPidAlive } from '../../src/util/pid.js';

let work: string;
const started: number[] = [];

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-drivers-'));
  mkdirSync(join(work, 'run'));
});
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGCONT');
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(work, { recursive: true, force: true });
});

// Starts `sleep <marker>` the way upstream starts its scheduler: nohup … & from a shell that exits, so init adopts it.
function startNohupDaemon(pidfile: string, marker: string): number {
  execFileSync('sh', ['-c', `nohup sleep ${marker} >/dev/null 2>&1 & echo $! > ${pidfile}`]);
  const pid = Number(readFileSync(pidfile, 'utf8').trim());
  started.push(pid);
  return pid;
}

function writeTarget(body: string): string {
  const file = join(work, 'target.yaml');
  writeFileSync(file, `name: daemons\nhome: ${work}\nroots: [${work}]\n${body}`);
  return file;
}

function writeScenario(name: string, body: string): string {
  const file = join(work, name);
  writeFileSync(file, `target: target.yaml\ntitle: ${name}\nruns: 1\ntimeoutMs: 2000\nstabilizeMs: 100\nsteadyStateWaitMs: 1000\n${body}`);
  return file;
}

describe('capabilities', () => {
  test('validate refuses a tmux fault and a tmux probe on a target without tmux, naming both', async () => {
    writeTarget('');
    writeScenario('tmux.yaml', 'id: needs-tmux\nsteadyState:\n  - { probe: tmux.session, session: x }\nfault: { type: tmux.kill-session, session: x }\n');
    const result = await validateScenarioFiles([join(work, 'tmux.yaml')]);
    expect(result.problems).toEqual([
      expect.stringMatching(/steadyState\.0\.probe: probe tmux\.session needs the tmux capability, and target daemons \(target\.yaml\) has none/),
      expect.stringMatching(/fault\.type: fault tmux\.kill-session needs the tmux capability, and target daemons \(target\.yaml\) has none/),
    ]);
  });

  test('a process fault by pane needs tmux; by pidfile it needs only the core', async () => {
    writeTarget('');
    writeScenario('pane.yaml', 'id: by-pane\nsteadyState:\n  - { probe: file.exists, path: . }\nfault: { type: process.kill, pane: "a:0" }\n');
    writeScenario('pidfile.yaml', 'id: by-pidfile\nsteadyState:\n  - { probe: file.exists, path: . }\nfault: { type: process.kill, pidfile: run/x.pid }\n');
    const result = await validateScenarioFiles([join(work, 'pane.yaml'), join(work, 'pidfile.yaml')]);
    expect(result.problems).toEqual([expect.stringMatching(/pane\.yaml.*fault process\.kill with pane: needs the tmux capability/)]);
  });

  test('the same tmux scenario on a target file with a tmux block passes validate', async () => {
    writeTarget('tmux: { socketName: faultline-test-never-started }\n');
    writeScenario('tmux.yaml', 'id: needs-tmux\nsteadyState:\n  - { probe: tmux.session, session: x }\nfault: { type: tmux.kill-session, session: x }\n');
    expect((await validateScenarioFiles([join(work, 'tmux.yaml')])).problems).toEqual([]);
  });
});

describe('target files', () => {
  test('tmux.tmpdir resolves to <tmpdir>/tmux-<uid>/<name>; the default server is still refused', async () => {
    const { target } = await loadFileTarget(writeTarget(`tmux: { tmpdir: ${join(work, 'tmux')}, socketName: orc }\n`));
    expect(target.socket).toEqual({ socketPath: join(work, 'tmux', `tmux-${process.getuid!()}`, 'orc') });
    expect(target.capabilities).toEqual(['tmux']);
    await expect(loadFileTarget(writeTarget('tmux: { socketName: default }\n'))).rejects.toThrow(/default tmux server/);
  });

  test('a private TMUX_TMPDIR alone names its default socket and is accepted; /tmp as tmpdir is the real default server and is refused', async () => {
    const { target } = await loadFileTarget(writeTarget(`tmux: { tmpdir: ${join(work, 'tmux')} }\n`));
    expect(target.socket).toEqual({ socketPath: join(work, 'tmux', `tmux-${process.getuid!()}`, 'default') });
    await expect(loadFileTarget(writeTarget('tmux: { tmpdir: /tmp }\n'))).rejects.toThrow(/is the default tmux server/);
  });

  test('a target file with no tmux block opens with no capability; the ledger records its driver', async () => {
    const file = writeTarget('');
    const handle = await openTargetHandle('target.yaml', join(work, 'scenario.yaml'), { heal: false });
    expect(handle.target.capabilities).toEqual([]);
    expect(handle.target.socket).toBeUndefined();
    expect(describeTargetForLedger(handle)).toEqual({ driver: 'external', file });
    await expect(handle.target.tmux(['ls'])).rejects.toThrow(/has no tmux server/);
  });
});

describe('declared processes: a nohup’d scheduler reparented to init', () => {
  test('process.stop by declared pidfile, by scenario pidfile and by pattern is planned, injected and rolled back', async () => {
    const marker = String(3000 + Math.floor(Math.random() * 1000) + 0.5);
    const pid = startNohupDaemon(join(work, 'run', 'scheduler.pid'), marker);
    expect(readProcess(pid)?.ppid).not.toBe(process.pid);
    const file = writeTarget(`processes:\n  - { name: scheduler, pidfile: run/scheduler.pid }\n  - { name: scheduler-by-pattern, matches: '^sleep ${marker.replace('.', '\\.')}$', user: '${process.getuid!()}' }\n`);
    const selectors = [{ process: 'scheduler' }, { pidfile: 'run/scheduler.pid' }, { process: 'scheduler-by-pattern' }, { matches: `^sleep ${marker.replace('.', '\\.')}$` }];
    for (const [index, selector] of selectors.entries()) {
      writeScenario(`stop-${index}.yaml`, `id: stop-${index}\nsteadyState:\n  - { probe: process.alive, pidFile: run/scheduler.pid }\nfault: ${JSON.stringify({ type: 'process.stop', ...selector })}\n`);
    }
    const scenarios = await loadScenarios(selectors.map((_, index) => join(work, `stop-${index}.yaml`)));
    const plans = await planScenarios(scenarios);
    for (const plan of plans) {
      expect(plan.problem).toBeUndefined();
      expect(plan.fault.guards.join(' ')).toMatch(/declared processes \(scheduler, scheduler-by-pattern\)/);
    }
    const { target } = await loadFileTarget(file);
    for (const selector of selectors) {
      const params = { type: 'process.stop' as const, ...selector };
      const context = { target, stateDir: join(work, 'state') };
      await processStop.plan(params, context);
      const state = await processStop.prepare(params, context);
      await processStop.inject(params, context, state);
      expect(await processStop.verify(params, context, state)).toBe(true);
      expect(readProcess(pid)?.state).toBe('T');
      expect((await processStop.rollback(params, context, state)).ok).toBe(true);
      expect(readProcess(pid)?.state).not.toBe('T');
    }
  });

  test('an undeclared daemon of the same kind is refused, in the plan as in the run', async () => {
    const marker = String(4000 + Math.floor(Math.random() * 1000) + 0.25);
    startNohupDaemon(join(work, 'run', 'other.pid'), marker);
    writeTarget('processes:\n  - { name: scheduler, pidfile: run/scheduler.pid }\n');
    writeScenario('other.yaml', `id: other\nsteadyState:\n  - { probe: file.exists, path: . }\nfault: { type: process.stop, matches: '^sleep ${marker}$' }\n`);
    const [plan] = await planScenarios(await loadScenarios([join(work, 'other.yaml')]));
    // matches is checked live only at run time: the plan states the guard, the run refuses (exit 2) and changes nothing.
    expect(plan!.problem).toBeUndefined();
    const outcome = await runScenarios(await loadScenarios([join(work, 'other.yaml')]), { heal: false, gate: false, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'ledger')) }).catch((error: Error) => error);
    expect(String(outcome instanceof Error ? outcome.message : JSON.stringify(outcome.summary.scenarios[0]!.runs))).toMatch(/no live process of the target matches/);
  });
});

describe('hooks', () => {
  test('a scenario that leaves an external target broken no longer aborts the next: the reset hook runs first', async () => {
    const marker = String(5000 + Math.floor(Math.random() * 1000) + 0.75);
    startNohupDaemon(join(work, 'run', 'd.pid'), marker);
    const reset = join(work, 'reset.sh');
    writeFileSync(reset, `#!/bin/sh\necho restarting the daemon\nnohup sleep ${marker} >/dev/null 2>&1 &\necho $! > ${join(work, 'run', 'd.pid')}\necho $! >> ${join(work, 'started.txt')}\n`, { mode: 0o755 });
    writeTarget(`processes:\n  - { name: d, pidfile: run/d.pid }\nhooks:\n  reset: { command: [./reset.sh], timeoutMs: 5000 }\n`);
    const body = 'steadyState:\n  - { probe: process.alive, pidFile: run/d.pid }\nfault: { type: process.kill, process: d }\n';
    writeScenario('a.yaml', `id: kill-a\n${body}`);
    writeScenario('b.yaml', `id: kill-b\n${body}`);
    const outcome = await runScenarios(await loadScenarios([join(work, 'a.yaml'), join(work, 'b.yaml')]), { heal: false, gate: false, reportsDir: join(work, 'reports'), ledger: new Ledger(join(work, 'ledger')) });
    for (const pid of readFileSync(join(work, 'started.txt'), 'utf8').trim().split('\n').map(Number)) started.push(pid);
    const [a, b] = outcome.summary.scenarios;
    // Nothing restarts the daemon: each kill is honestly not recovered, but the second scenario ran instead of aborting.
    expect(a!.runs[0]!.status).toBe('completed');
    expect(a!.runs[0]!.recovered).toBe(false);
    expect(b!.runs[0]!.status).toBe('completed');
    const journal = readFileSync(join(outcome.runDir, 'journal.jsonl'), 'utf8');
    expect(journal).toMatch(/"type":"target\.hook".*"hook":"reset".*restarting the daemon/);
    expect(started.filter(isPidAlive)).toEqual([]);
  });
});
