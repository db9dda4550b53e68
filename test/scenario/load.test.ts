import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { loadScenarios, validateScenarioFiles } from '../../src/scenario/load.js';
import { faultRegistry } from '../../src/faults/registry.js';
import { probeRegistry } from '../../src/probes/registry.js';

const fixtures = 'test/fixtures/scenarios';
// The registries grow with every fault and probe type: the expected lists come from them.
const faultTypes = [...faultRegistry.keys()].join(', ');
const probeTypes = [...probeRegistry.keys()].join(', ');

async function problemsOf(...paths: string[]): Promise<string[]> {
  return (await validateScenarioFiles(paths.map((path) => `${fixtures}/${path}`))).problems;
}

async function catchError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

describe('validateScenarioFiles', () => {
  it('names file:line:col of a YAML syntax error', async () => {
    expect(await problemsOf('invalid/syntax-error.yaml')).toEqual([
      `${fixtures}/invalid/syntax-error.yaml:6:4 invalid YAML: bad indentation of a sequence entry`,
    ]);
  });

  it('reports a missing required field at the object that lacks it', async () => {
    expect(await problemsOf('invalid/missing-fault.yaml')).toEqual([
      `${fixtures}/invalid/missing-fault.yaml:1:1 fault: missing required field; expected a mapping whose \`type\` is one of ${faultTypes}`,
    ]);
  });

  it('lists the registered fault types for an unknown one', async () => {
    expect(await problemsOf('invalid/unknown-fault-type.yaml')).toEqual([
      `${fixtures}/invalid/unknown-fault-type.yaml:7:9 fault.type: expected one of ${faultTypes}; got "tmux.kil"`,
    ]);
  });

  it('lists the registered probe types for an unknown one', async () => {
    expect(await problemsOf('invalid/unknown-probe-type.yaml')).toEqual([
      `${fixtures}/invalid/unknown-probe-type.yaml:6:12 steadyState.1.probe: expected one of ${probeTypes}; got "tmux.pane"`,
    ]);
  });

  it('suggests the field an unknown one is a typo of, without also calling that field missing', async () => {
    expect(await problemsOf('invalid/unknown-field.yaml')).toEqual([
      `${fixtures}/invalid/unknown-field.yaml:8:3 fault.sesion: unknown field \`sesion\`; did you mean \`session\`?`,
    ]);
  });

  it('reports a rating above its maximum with the limit and the value', async () => {
    expect(await problemsOf('invalid/rating-out-of-range.yaml')).toEqual([
      `${fixtures}/invalid/rating-out-of-range.yaml:9:13 fmea.severity: expected a number ≤ 10; got 11`,
    ]);
  });

  it('reports a regular expression that does not compile', async () => {
    expect(await problemsOf('invalid/bad-regex.yaml')).toEqual([
      `${fixtures}/invalid/bad-regex.yaml:6:20 steadyState.0.stdoutMatches: expected a valid regular expression; got "ready(" (Unterminated group)`,
    ]);
  });

  it('reports a scenario id used twice with both locations', async () => {
    expect(await problemsOf('duplicate-ids')).toEqual([
      `${fixtures}/duplicate-ids/b.yaml:9:7 1.id: duplicate scenario id "kill-orchestrator-session"; first defined at ${fixtures}/duplicate-ids/a.yaml:1:5`,
    ]);
  });

  it('reports every problem of every file in one pass, in the order of the paths given', async () => {
    const problems = await problemsOf('invalid/unknown-field.yaml', 'missing.yaml', 'invalid/syntax-error.yaml');
    expect(problems.map((problem) => problem.split(' ')[0])).toEqual([
      `${fixtures}/invalid/unknown-field.yaml:8:3`,
      `${fixtures}/missing.yaml:`,
      `${fixtures}/invalid/syntax-error.yaml:6:4`,
    ]);
    expect(problems[1]).toBe(`${fixtures}/missing.yaml: no such file or directory`);
  });

  it.each([
    ['empty.yaml', '1:1 the file is empty; expected a scenario or a list of scenarios'],
    ['scalar.yaml', '1:1 expected a scenario (a mapping) or a list of scenarios; got "just a string"'],
    ['two-documents.yaml', '3:1 expected one YAML document; got 2 (put several scenarios in one list instead)'],
    ['empty-list.yaml', '1:1 expected at least one scenario; got an empty list'],
  ])('explains a file that holds no scenario (%s)', async (name, problem) => {
    expect(await problemsOf(`malformed/${name}`)).toEqual([`${fixtures}/malformed/${name}:${problem}`]);
  });

  it('counts the files and scenarios of a valid single scenario and a valid list', async () => {
    expect(await validateScenarioFiles([`${fixtures}/valid/single.yaml`])).toMatchObject({ files: 1, scenarios: 1, problems: [] });
    expect(await validateScenarioFiles([`${fixtures}/valid/nested/list.yaml`])).toMatchObject({ files: 1, scenarios: 2, problems: [] });
  });

  it('keeps the problems structured for --json', async () => {
    const { details } = await validateScenarioFiles([`${fixtures}/invalid/unknown-fault-type.yaml`]);
    expect(details).toEqual([{
      file: `${fixtures}/invalid/unknown-fault-type.yaml`,
      line: 7,
      column: 9,
      path: 'fault.type',
      message: `expected one of ${faultTypes}; got "tmux.kil"`,
    }]);
  });

  it('refuses a worksheet named explicitly and points to `faultline fmea score`', async () => {
    expect(await problemsOf('valid/worksheet.yaml')).toEqual([
      `${fixtures}/valid/worksheet.yaml:1:1 kind: this file is an FMEA worksheet, not a scenario; use \`faultline fmea score ${fixtures}/valid/worksheet.yaml\``,
    ]);
  });
});

describe('loadScenarios', () => {
  it('walks directories recursively in a stable order and skips worksheets', async () => {
    const scenarios = await loadScenarios([`${fixtures}/valid`]);
    expect(scenarios.map((scenario) => [scenario.id, scenario.source])).toEqual([
      ['kill-project-window', { file: resolve(fixtures, 'valid/nested/list.yaml'), index: 0 }],
      ['corrupt-orchestrator-config', { file: resolve(fixtures, 'valid/nested/list.yaml'), index: 1 }],
      ['kill-orchestrator-session', { file: resolve(fixtures, 'valid/single.yaml'), index: 0 }],
    ]);
  });

  it('loads a file named twice (directly and through its directory) once', async () => {
    const scenarios = await loadScenarios([`${fixtures}/valid/single.yaml`, `${fixtures}/valid`]);
    expect(scenarios.map((scenario) => scenario.id)).toEqual(['kill-orchestrator-session', 'kill-project-window', 'corrupt-orchestrator-config']);
  });

  it('throws one InputError listing the problems of all files', async () => {
    const error = await catchError(loadScenarios([`${fixtures}/invalid`]));
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).message).toBe('7 problems in 7 scenario files');
    expect((error as InputError).problems).toHaveLength(7);
    expect((error as InputError).exitCode).toBe(2);
  });

  it('names paths that do not exist', async () => {
    const error = await catchError(loadScenarios([`${fixtures}/valid/single.yaml`, `${fixtures}/nope`]));
    expect((error as InputError).problems).toEqual([`${fixtures}/nope: no such file or directory`]);
  });

  it('keeps only scenarios with one of the tags asked for', async () => {
    const scenarios = await loadScenarios([`${fixtures}/valid`], { tags: ['config', 'window'] });
    expect(scenarios.map((scenario) => scenario.id)).toEqual(['kill-project-window', 'corrupt-orchestrator-config']);
  });

  it('lists the available tags when no scenario has the tags asked for', async () => {
    const error = await catchError(loadScenarios([`${fixtures}/valid`], { tags: ['nope'] }));
    expect(error).toBeInstanceOf(InputError);
    expect(error).toMatchObject({ message: 'no scenario has the tag nope', hint: 'available tags: config, default, window' });
  });

  it('changes nothing in the directories it reads', async () => {
    const snapshot = async () => {
      const names = await readdir(fixtures, { recursive: true });
      return Promise.all(names.sort().map(async (name) => [name, (await stat(join(fixtures, name))).mtimeMs]));
    };
    const before = await snapshot();
    await loadScenarios([fixtures]).catch(() => undefined);
    expect(await snapshot()).toEqual(before);
  });
});
