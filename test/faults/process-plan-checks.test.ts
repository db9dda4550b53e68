// Process faults refused at plan time (exit 2, nothing reached) when the refusal is knowable
// statically, and patterns matched on a process's own command, not faultline's install path.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { getMatchableCommand } from '../../src/faults/process-plan-checks.js';
import { readProcessTable } from '../../src/faults/proc-table.js';
import { planScenarios } from '../../src/plan/plan-scenarios.js';
import { loadScenarios } from '../../src/scenario/load.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { packageRoot } from '../../src/util/package-root.js';
import { disposeAll, prepareFault, startTarget } from './fault-steps.js';

const bin = join(packageRoot, 'bin', 'faultline.js');
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-proc-plan-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function writeScenario(fault: string): string {
  const file = join(work, 's.yaml');
  writeFileSync(file, `id: s\ntitle: s\nsteadyState:\n  - { probe: tmux.session, session: proj-a }\nfault: ${fault}\n`);
  return file;
}

async function planProblem(fault: string, targetDir?: string): Promise<string | undefined> {
  const [plan] = await planScenarios(await loadScenarios([writeScenario(fault)]), targetDir ? { targetDir } : {});
  return plan!.problem;
}

describe('process faults refused at plan time', () => {
  test.each([
    ['.*', /matches the empty command line, so every process/],
    ['^', /matches the empty command line/],
    ['x*', /matches the empty command line/],
  ])('a pattern /%s/ is refused', async (pattern, message) => {
    expect(await planProblem(`{ type: process.kill, matches: '${pattern}' }`)).toMatch(message);
  });

  test('a pattern matching faultline’s own command is refused', async () => {
    const own = escape(getMatchableCommand(process.argv.slice(1, 2)));
    expect(await planProblem(`{ type: process.stop, matches: '${own}' }`)).toMatch(/fault\.matches: .* matches faultline’s own command/);
  });

  test.each([
    ['pid 1', () => 1, /holds pid 1, which is pid 1 \(init\)/],
    ['faultline itself', () => process.pid, /which is faultline itself/],
    ['an ancestor of faultline', () => process.ppid, /which is an ancestor of faultline/],
  ])('a pidfile holding %s is refused', async (_name, pid, message) => {
    mkdirSync(join(work, 'inst', 'run'), { recursive: true });
    writeFileSync(join(work, 'inst', 'run', 'x.pid'), `${pid()}\n`);
    expect(await planProblem('{ type: process.kill, pidfile: run/x.pid }', join(work, 'inst'))).toMatch(message);
  });

  test('a pidfile outside the roots is refused', async () => {
    expect(await planProblem('{ type: process.kill, pidfile: ../../etc/x.pid }')).toMatch(/outside the target's roots/);
  });

  test('`faultline run` exits 2 on such a scenario before anything starts', async () => {
    const file = writeScenario(`{ type: process.kill, matches: '.*' }`);
    const result = await promisify(execFile)(process.execPath, [bin, 'run', file, '--reports', join(work, 'reports')], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') } }).then(
      () => ({ code: 0, stderr: '' }),
      (error: { code: number; stderr: string }) => error,
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/fault\.matches: \/\.\*\/ matches the empty command line/);
  }, 30_000);

  test('the matched command leaves faultline’s directory out', () => {
    expect(getMatchableCommand(['/usr/bin/node', join(packageRoot, 'dist', 'targets', 'reference', 'scheduler.js'), '/tmp/x'])).toBe('/usr/bin/node dist/targets/reference/scheduler.js /tmp/x');
  });
});

describe('patterns on a live reference orchestrator', () => {
  let target: ReferenceTarget;
  beforeAll(async () => {
    target = await startTarget();
  }, 60_000);
  afterAll(disposeAll);

  test('a pattern naming faultline’s install path selects nothing: it is not the processes’ own command', async () => {
    // On dist/, where the orchestrator's scripts are: `^node <root>/` alone would also match the test runner's own
    // command (vitest runs from <root>/node_modules when the suite runs in the checkout), which is refused earlier.
    const matches = `^\\S*node ${escape(packageRoot)}/dist/`;
    expect([...readProcessTable().values()].some((info) => new RegExp(matches).test(info.argv.join(' ')))).toBe(true);
    await expect(prepareFault(target, { type: 'process.kill', matches, count: 16 })).rejects.toThrow(/no live process of the target matches/);
  });

  test('a dry run shows the processes a pattern matches now', async () => {
    const [plan] = await planScenarios(await loadScenarios([writeScenario(`{ type: process.kill, matches: 'scheduler\\.js' }`)]), { targetDir: target.dir });
    expect(plan!.problem).toBeUndefined();
    expect(plan!.fault.touches).toEqual(expect.arrayContaining([expect.stringMatching(/^matching now: pid \d+ .*scheduler\.js/)]));
  });
});
