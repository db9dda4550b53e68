// Through the CLI: bad params are refused with exit 2 and a message naming the field, before anything
// is started or changed; --dry-run prints the plan and touches nothing.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(import.meta.dirname, 'fixtures');
const run = promisify(execFile);
let work: string;

/** Runs the built CLI in `work` with a private ledger; resolves with code, stdout, stderr. */
async function faultline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(root, 'bin', 'faultline.js'), ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-plan-test-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('faultline run refuses bad params before anything changes (exit 2, the field named)', () => {
  test.each([
    ['a path outside the roots', 'outside-roots.yaml', /outside-roots\.yaml: fault\.path: \/etc\/passwd is outside the target's roots/],
    ['a count over the cap', 'over-the-cap.yaml', /over-the-cap\.yaml:\d+:\d+ fault\.count: expected a number ≤ 16; got 50/],
    ['an unknown signal', 'unknown-signal.yaml', /unknown-signal\.yaml:\d+:\d+ fault\.signal: expected one of SIGKILL, .*; got "SIGFOO"/],
    ['a path outside the roots in a composite step', 'step-outside-roots.yaml', /fault\.steps\.1\.fault\.path: \/etc\/hosts is outside the target's roots/],
  ])('%s', async (_what, file, message) => {
    const { code, stderr } = await faultline(['run', join(fixtures, file), '--reports', 'reports']);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
    expect(readdirSync(work)).toEqual([]); // no reports, no ledger: nothing was started
  });
});

describe('faultline run --dry-run', () => {
  test('prints the plan of the scenario pack, exits 0 and leaves nothing behind', async () => {
    const { code, stdout } = await faultline(['run', join(root, 'scenarios'), '--dry-run']);
    expect(code).toBe(0);
    expect(stdout).toContain('dry run: nothing is started, injected, written or signalled');
    expect(stdout).toMatch(/▶ tmux-server-killed \(SPOF-001\)/);
    expect(stdout).toMatch(/touches +kill the tmux server on \S+faultline-ref-XXXXXX\/tmux\.sock/);
    expect(stdout).toMatch(/guard +never pid 1, faultline itself/);
    // No reports; a throwaway instance (for plans that read live state) was stopped and its intent closed.
    expect(readdirSync(work).filter((name) => name !== 'state')).toEqual([]);
    if (existsSync(join(work, 'state', 'ledger'))) expect(readdirSync(join(work, 'state', 'ledger'))).toEqual([]);
  });

  test('--json gives the plans, and a refused scenario makes it exit 2', async () => {
    const { code, stdout } = await faultline(['run', join(fixtures, 'outside-roots.yaml'), join(root, 'scenarios', 'tmux-orchestrator', 'spof-003-config-deleted.yaml'), '--dry-run', '--json']);
    expect(code).toBe(2);
    const plan = JSON.parse(stdout) as { dryRun: boolean; scenarios: Array<{ id: string; problem?: string; fault: { touches: string[] } }> };
    expect(plan.dryRun).toBe(true);
    expect(plan.scenarios.map((scenario) => [scenario.id, scenario.problem === undefined])).toEqual([['outside-the-roots', false], ['config-deleted', true]]);
    expect(plan.scenarios[1]!.fault.touches[0]).toMatch(/^delete \S+\/config\/orchestrator\.conf/);
  });

  test('`run --help` says what a dry run does', async () => {
    const { stdout } = await faultline(['run', '--help']);
    // yargs wraps at the terminal width, even inside words: compare without white space.
    expect(stdout.replace(/\s+/g, '')).toMatch(/--dry-run.*startsnotargetandtouchesnothing/);
  });
});
