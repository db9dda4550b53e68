import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync, readdirSync, readlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const bin = join(root, 'bin', 'faultline.js');
const run = promisify(execFile);
let work: string;

/** Runs the built CLI in `work` with a private ledger; resolves with code, stdout, stderr. */
async function faultline(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { cwd: work, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-cli-test-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

describe('faultline CLI', () => {
  test('--help answers quickly and lists the commands', async () => {
    const start = performance.now();
    const { code, stdout } = await faultline(['--help']);
    expect(code).toBe(0);
    for (const command of ['run', 'validate', 'target', 'recover', 'fmea']) expect(stdout).toContain(`faultline ${command}`);
    expect(performance.now() - start).toBeLessThan(3000); // generous: the bench-grade figure is < 300 ms
  });

  test('an unknown option is a usage error with exit 2', async () => {
    const { code, stderr } = await faultline(['run', '--bogus-flag']);
    expect(code).toBe(2);
    // Named once, as typed (yargs also lists the camel-cased bogusFlag), with the help that lists the options.
    expect(stderr).toMatch(/unknown option: --bogus-flag\n/);
    expect(stderr).not.toMatch(/bogusFlag/);
    expect(stderr).toMatch(/`faultline run --help` lists what `run` accepts/);
    // A subcommand's own help, and a negated flag as typed.
    const sub = await faultline(['target', 'up', '--no-such-thing']);
    expect(sub.code).toBe(2);
    expect(sub.stderr).toMatch(/unknown option: --no-such-thing\n.*`faultline target up --help` lists what `target up` accepts/s);
  });

  test('validate names file:line:col for a syntax error, a missing field and an unknown fault type, exits 2 and writes nothing', async () => {
    writeFileSync(join(work, 'syntax.yaml'), 'id: a\ntitle: x\nsteadyState:\n  - probe: tmux.session\n   session: y\n');
    writeFileSync(join(work, 'missing.yaml'), 'id: b\ntitle: x\nsteadyState:\n  - probe: tmux.session\n    session: y\n');
    writeFileSync(join(work, 'unknown.yaml'), 'id: c\ntitle: x\nsteadyState:\n  - probe: tmux.session\n    session: y\nfault:\n  type: tmux.kil\n');
    const before = readdirSync(work).sort();
    const { code, stdout, stderr } = await faultline(['validate', 'syntax.yaml', 'missing.yaml', 'unknown.yaml']);
    const output = stdout + stderr;
    expect(code).toBe(2);
    expect(output).toMatch(/syntax\.yaml:5:\d+ /);
    expect(output).toMatch(/missing\.yaml:1:1 fault: missing required field/);
    expect(output).toMatch(/unknown\.yaml:7:9 fault\.type: expected one of .*tmux\.kill-session.*; got "tmux\.kil"/);
    expect(readdirSync(work).sort()).toEqual(before);
  });

  test('run writes the reports, points latest at them, prints the table and leaves nothing running', async () => {
    const scenario = join(root, 'test', 'fixtures', 'run', 'corrupt-config.yaml');
    const { code, stdout, stderr } = await faultline(['run', scenario, '--reports', 'out', '--gate']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/e2e-corrupt-config\s+\S*\s*1\/1/);
    // The report's absolute path and its file:// URL close the output.
    expect(stdout).toMatch(new RegExp(`Report: +${work}/out/\\d{8}-\\d{6}-[0-9a-f]{4}/index\\.html\\n +file://${work}/out/\\d{8}-\\d{6}-[0-9a-f]{4}/index\\.html\\n$`));
    // Not a terminal: progress lines, but no live line (no carriage returns, no countdown).
    expect(stderr).toMatch(/run 1\/1 {2}recovered/);
    expect(stderr).not.toMatch(/\r|waiting for recovery/);
    // The verdict line carries no empty list of checks.
    expect(stderr).not.toMatch(/^ {2}pass\s*$/m);
    expect(readlinkSync(join(work, 'out', 'latest'))).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
    for (const file of ['journal.jsonl', 'summary.json', 'index.html']) expect(existsSync(join(work, 'out', 'latest', file))).toBe(true);
    const summary = JSON.parse(readFileSync(join(work, 'out', 'latest', 'summary.json'), 'utf8'));
    const dir = String(summary.targets[0].dir);
    expect(existsSync(dir)).toBe(false);
    const { stdout: ps } = await run('ps', ['-eo', 'args=']);
    expect(ps).not.toContain(dir);
  });

  test.skipIf(!existsSync('/usr/bin/script'))('on a terminal, run draws a live line with the phase and a countdown; --quiet draws none', async () => {
    const scenario = join(root, 'test', 'fixtures', 'run', 'corrupt-config.yaml');
    const env = { ...process.env, NO_COLOR: '1', COLUMNS: '120', FAULTLINE_STATE_DIR: join(work, 'state') };
    // script(1) gives the CLI a pseudo-terminal; its output (stdout and stderr together) comes back here.
    const onTty = async (extra: string[]) => (await run('/usr/bin/script', ['-qec', [process.execPath, bin, 'run', scenario, '--reports', 'out', ...extra].join(' '), '/dev/null'], { cwd: work, env })).stdout;
    const live = await onTty([]);
    expect(live).toMatch(/\r\u001b\[2Ke2e-corrupt-config run 1\/1 · waiting for recovery \d+\.\d s \/ 2\.0 s/);
    expect(live).toMatch(/rolling back/);
    const quiet = await onTty(['--quiet']);
    expect(quiet).not.toMatch(/waiting for recovery|\u001b\[2K/);
    expect(quiet).toMatch(/Report: /);
  }, 60_000);

  test('run --json prints the summary with where its report is, and no progress', async () => {
    const scenario = join(root, 'test', 'fixtures', 'run', 'corrupt-config.yaml');
    const { code, stdout, stderr } = await faultline(['run', scenario, '--reports', 'out', '--json']);
    expect(code).toBe(0);
    const printed = JSON.parse(stdout) as { verdict: string; report: { html: string; url: string; summary: string; dir: string } };
    expect(printed.verdict).toBe('pass');
    expect(printed.report.html).toMatch(new RegExp(`^${work}/out/\\d{8}-\\d{6}-[0-9a-f]{4}/index\\.html$`));
    expect(printed.report.url).toBe(`file://${printed.report.html}`);
    expect(existsSync(printed.report.html)).toBe(true);
    expect(JSON.parse(readFileSync(printed.report.summary, 'utf8')).report).toBeUndefined();
    expect(stderr).toBe('');
  });
});
