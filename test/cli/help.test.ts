import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, test } from 'vitest';
import { getTerminalWidth } from '../../src/cli/terminal-width.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const run = promisify(execFile);

const COMMANDS = [[], ['run'], ['validate'], ['target'], ['target', 'up'], ['target', 'down'], ['target', 'status'], ['recover'], ['fmea'], ['fmea', 'import'], ['fmea', 'lint'], ['fmea', 'score'], ['report']];

/** Runs the built CLI with a given $COLUMNS (stdout is a pipe, as in CI); resolves with code and output. */
async function faultline(args: string[], columns?: number): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = { ...process.env, NO_COLOR: '1', ...(columns ? { COLUMNS: String(columns) } : {}) };
  try {
    const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };
    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

describe('faultline --help', () => {
  test.each([80, 120])('at COLUMNS=%i every command’s help wraps on word boundaries within the width', async (columns) => {
    const helps = await Promise.all(COMMANDS.map(async (command) => ({
      command: command.join(' '),
      narrow: (await faultline([...command, '--help'], columns)).stdout,
      // Wide enough that nothing wraps: every word as written.
      wide: (await faultline([...command, '--help'], 2000)).stdout,
    })));
    // The reference is laid out on one line per option: a long description reads whole.
    const runHelp = helps.find((help) => help.command === 'run')!.wide;
    expect(runHelp).toContain('Print the plan (what each fault would touch, with which guards) and exit: starts no target and touches nothing.');
    for (const { command, narrow, wide } of helps) {
      expect(narrow, command).toMatch(/Show help/);
      const whole = new Set(words(wide));
      const broken = words(narrow).filter((word) => !whole.has(word));
      expect(broken, `faultline ${command} --help at ${columns} columns`).toEqual([]);
      const long = narrow.split('\n').filter((line) => line.length > columns);
      expect(long, `faultline ${command} --help at ${columns} columns`).toEqual([]);
    }
  }, 120_000);

  test('--version is offered at the top level only', async () => {
    const top = await faultline(['--help']);
    expect(top.stdout).toMatch(/--version/);
    expect((await faultline(['--version'])).stdout).toMatch(/^\d+\.\d+\.\d+\n$/);
    const sub = await faultline(['run', '--help']);
    expect(sub.stdout).not.toMatch(/--version/);
    const used = await faultline(['run', '--version']);
    expect(used.code).toBe(2);
  }, 30_000);

  test('no positional is both required and defaulted to an empty list', async () => {
    const helps = await Promise.all(COMMANDS.map((command) => faultline([...command, '--help'], 200)));
    for (const { stdout } of helps) expect(stdout).not.toMatch(/\[required\].*\[default: \[\]\]/);
    expect((await faultline(['validate', '--help'], 200)).stdout).toMatch(/paths .*\[default: \["scenarios"\]\]/);
  }, 60_000);

  test('an unknown option suggests the nearest one the command accepts', async () => {
    const gate = await faultline(['run', '--gat']);
    expect(gate.code).toBe(2);
    expect(gate.stderr).toMatch(/unknown option: --gat; did you mean --gate\?/);
    const dir = await faultline(['target', 'status', '--dri']);
    expect(dir.stderr).toMatch(/did you mean --dir\?/);
    const choice = await faultline(['run', '--heal', 'of']);
    expect(choice.code).toBe(2);
    expect(choice.stderr).toMatch(/--heal: expected one of on, off; got "of"; did you mean "off"\?/);
    const far = await faultline(['run', '--bogus-flag']);
    expect(far.stderr).not.toMatch(/did you mean/);
  }, 30_000);
});

describe('getTerminalWidth', () => {
  test('uses the terminal’s width, then $COLUMNS, then 80', () => {
    expect(getTerminalWidth({ columns: 132 }, { COLUMNS: '80' })).toBe(132);
    expect(getTerminalWidth({}, { COLUMNS: '120' })).toBe(120);
    expect(getTerminalWidth({}, {})).toBe(80);
    expect(getTerminalWidth({}, { COLUMNS: 'wide' })).toBe(80);
  });
});
