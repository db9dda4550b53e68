import yargs from 'yargs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { validateCommand } from '../../src/cli/commands/validate.js';
import { probeRegistry } from '../../src/probes/registry.js';

const fixtures = 'test/fixtures/scenarios';

// Runs the command's handler and returns what it printed and the exit code it set.
async function runValidate(paths: string[], json = false): Promise<{ output: string; exitCode: number | undefined }> {
  const chunks: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    chunks.push(String(chunk));
    return true;
  });
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await validateCommand.handler({ paths, json, _: [], $0: 'faultline' });
    return { output: chunks.join(''), exitCode: process.exitCode as number | undefined };
  } finally {
    write.mockRestore();
    process.exitCode = before;
  }
}

describe('faultline validate', () => {
  afterEach(() => vi.restoreAllMocks());

  it('says how many scenarios and files are valid', async () => {
    expect(await runValidate([`${fixtures}/valid`])).toEqual({ output: '✓ 3 scenarios in 2 files are valid\n', exitCode: undefined });
  });

  it('prints each problem on its own line, then the count, and exits 2', async () => {
    const { output, exitCode } = await runValidate([`${fixtures}/invalid/unknown-field.yaml`, `${fixtures}/invalid/rating-out-of-range.yaml`]);
    expect(output).toBe([
      `${fixtures}/invalid/unknown-field.yaml:8:3 fault.sesion: unknown field \`sesion\`; did you mean \`session\`?`,
      `${fixtures}/invalid/rating-out-of-range.yaml:9:13 fmea.severity: expected a number ≤ 10; got 11`,
      '✗ 2 problems in 2 files',
      '',
    ].join('\n'));
    expect(exitCode).toBe(2);
  });

  it('prints structured problems with --json', async () => {
    const { output, exitCode } = await runValidate([`${fixtures}/invalid/unknown-probe-type.yaml`], true);
    expect(JSON.parse(output)).toEqual({
      ok: false,
      files: 1,
      scenarios: 0,
      targetFiles: 0,
      warnings: [],
      problems: [{
        file: `${fixtures}/invalid/unknown-probe-type.yaml`,
        line: 6,
        column: 12,
        path: 'steadyState.1.probe',
        // Every registered probe type (the drivers merge added supervisor.program).
        message: `expected one of ${[...probeRegistry.keys()].join(', ')}; got "tmux.pane"`,
      }],
    });
    expect(exitCode).toBe(2);
  });

  it('takes several paths and --json from the command line', async () => {
    const chunks: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      chunks.push(String(chunk));
      return true;
    });
    await yargs(['validate', `${fixtures}/valid/single.yaml`, `${fixtures}/valid/nested`, '--json']).command(validateCommand).strict().parseAsync();
    expect(JSON.parse(chunks.join(''))).toEqual({ ok: true, files: 2, scenarios: 3, targetFiles: 0, problems: [], warnings: [] });
  });

  it('does not load ajv or js-yaml when the command module is imported', async () => {
    const source = await import('node:fs/promises').then((fs) => fs.readFile('src/cli/commands/validate.ts', 'utf8'));
    expect(source).not.toMatch(/^import (?!type ).*from '(ajv|js-yaml|\.\.\/\.\.\/scenario\/load\.js)'/m);
  });
});
