// `faultline validate` checks what a run will need: the target files scenarios name, target files met
// among the scenarios, and timing a run cannot honour.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { validateScenarioFiles } from '../../src/scenario/load.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'faultline-validate-'));
  mkdirSync(join(dir, 'scenarios'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const write = (name: string, text: string) => writeFileSync(join(dir, name), text);
const scenario = (extra: string, target = './target.yaml') => `id: s1
title: A scenario on an external target
target: ${target}
steadyState:
  - probe: tmux.session
    session: orc
fault:
  type: tmux.kill-session
  session: orc
${extra}`;
const target = (tmux: string) => `name: own-orchestrator\nhome: ${dir}\nroots: [${dir}]\n${tmux}`;

describe('validate and target files', () => {
  it('checks the target file a scenario names, and a target file among the scenarios counts as one, not as a bad scenario', async () => {
    write('scenarios/s1.yaml', scenario(''));
    write('scenarios/target.yaml', target('tmux:\n  socketName: faultline-validate-test\n'));
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toEqual([]);
    expect(result).toMatchObject({ scenarios: 1, targetFiles: 1 });
  });

  it('reports a target file whose tmux block names no socket once, under its own name; a target file without a tmux block is fine', async () => {
    write('scenarios/s1.yaml', scenario(''));
    write('scenarios/target.yaml', target('tmux: {}\n'));
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/target\.yaml: .*tmux: give one of socketPath, socketName or tmpdir/);
    expect(result.problems.join('\n')).not.toMatch(/steadyState|fault: missing/);

    // A target without tmux (daemons declared by pidfile or pattern, or under a supervisor) names no socket at all:
    // the file is fine; only this scenario's tmux probe and fault are refused, for the capability it lacks.
    write('scenarios/target.yaml', target(''));
    const untmuxed = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(untmuxed.problems).toEqual([expect.stringMatching(/s1\.yaml:\S+ steadyState\.0\.probe: .*needs the tmux capability/), expect.stringMatching(/s1\.yaml:\S+ fault\.type: .*needs the tmux capability/)]);
  });

  it('reports a missing or invalid target file at the scenario’s `target` field', async () => {
    write('scenarios/s1.yaml', scenario('', './nowhere.yaml'));
    const missing = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(missing.problems).toEqual([expect.stringMatching(/s1\.yaml:3:9 target: target file .*nowhere\.yaml: cannot read target file/)]);

    write('elsewhere.yaml', 'name: x\nhome: /tmp\n');
    write('scenarios/s1.yaml', scenario('', '../elsewhere.yaml'));
    const invalid = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(invalid.problems).toEqual([expect.stringMatching(/s1\.yaml:3:9 target: target file .*elsewhere\.yaml: invalid target file/)]);
  });

  it('a default-server socket in a target file is refused by validate as a run would refuse it', async () => {
    write('scenarios/s1.yaml', scenario(''));
    write('target.yaml', target('tmux:\n  socketName: default\n'));
    write('scenarios/s1.yaml', scenario('', '../target.yaml'));
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toEqual([expect.stringMatching(/target: target file .*: .*tmux: \/tmp\/tmux-\d+\/default is the default tmux server/)]);
  });

  it('a target that is not a regular file (/dev/zero) is refused at once, not read', async () => {
    write('scenarios/s1.yaml', scenario('', '/dev/zero'));
    const started = Date.now();
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toEqual([expect.stringMatching(/s1\.yaml:3:9 target: target file \/dev\/zero: cannot read target file \/dev\/zero: refused: not a regular file/)]);
    expect(Date.now() - started).toBeLessThan(3000);
  });
});

describe('validate and timing', () => {
  it('warns when stabilizeMs ≥ timeoutMs, without failing', async () => {
    write('scenarios/s1.yaml', scenario('timeoutMs: 1000\nstabilizeMs: 1000\n', 'reference'));
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(/s1\.yaml:\d+:\d+ stabilizeMs: stabilizeMs 1000 ≥ timeoutMs 1000: .*every run reads "not recovered"/)]);
  });

  it('warns when a heartbeat probe can only fail after longer than stabilizeMs (file.fresh maxAgeMs 8000, stabilizeMs 500)', async () => {
    const text = scenario('stabilizeMs: 500\n', 'reference').replace('steadyState:\n', 'steadyState:\n  - probe: file.fresh\n    path: heartbeat\n    maxAgeMs: 8000\n');
    write('scenarios/s1.yaml', text);
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(/s1\.yaml:7:15 steadyState\.0\.maxAgeMs: file\.fresh maxAgeMs 8000 > stabilizeMs 500: .*recovery can be declared before it could see anything/)]);
    write('scenarios/s1.yaml', text.replace('maxAgeMs: 8000', 'maxAgeMs: 400'));
    expect((await validateScenarioFiles([join(dir, 'scenarios')])).warnings).toEqual([]);
  });

  it('warns that tmux.kill-pane-process is deprecated, naming process.kill with a pane address, and still passes (a composite step too)', async () => {
    const pane = 'fault:\n  type: tmux.kill-pane-process\n  session: orc\n  window: 0\n';
    write('scenarios/s1.yaml', scenario('', 'reference').replace('fault:\n  type: tmux.kill-session\n  session: orc\n', pane));
    const result = await validateScenarioFiles([join(dir, 'scenarios')]);
    expect(result.problems).toEqual([]);
    expect(result.warnings).toEqual([expect.stringMatching(/s1\.yaml:8:9 fault\.type: fault type tmux\.kill-pane-process is deprecated: use process\.kill with pane: "<session>:<window>\.<pane>"/)]);
    const steps = 'fault:\n  type: composite\n  steps:\n    - fault: { type: tmux.kill-session, session: orc }\n    - fault: { type: tmux.kill-pane-process, session: orc, window: 0 }\n';
    write('scenarios/s1.yaml', scenario('', 'reference').replace('fault:\n  type: tmux.kill-session\n  session: orc\n', steps));
    expect((await validateScenarioFiles([join(dir, 'scenarios')])).warnings).toEqual([expect.stringMatching(/fault\.steps\.1\.fault\.type: fault type tmux\.kill-pane-process is deprecated/)]);
    write('scenarios/s1.yaml', scenario('', 'reference').replace('fault:\n  type: tmux.kill-session\n  session: orc\n', 'fault:\n  type: process.kill\n  pane: orc:0.0\n'));
    expect(await validateScenarioFiles([join(dir, 'scenarios')])).toMatchObject({ problems: [], warnings: [] });
  });
});
