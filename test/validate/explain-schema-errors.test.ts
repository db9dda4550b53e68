import { describe, expect, it } from 'vitest';
import { probeRegistry } from '../../src/probes/registry.js';
import { parseYamlDocuments } from '../../src/scenario/positions.js';
import { explainSchemaErrors } from '../../src/validate/explain-schema-errors.js';
import { formatProblem } from '../../src/validate/problem.js';
import { getScenarioSchema, validateScenarioValue } from '../../src/validate/scenario-validator.js';

const valid = `id: ok
title: A title
steadyState:
  - probe: tmux.session
    session: tmux-orc
fault:
  type: tmux.kill-session
  session: tmux-orc
`;

// Validates YAML text as one scenario and returns the printed problems.
function explain(text: string): string[] {
  const [document] = parseYamlDocuments(text);
  if (!document) throw new Error('no document');
  const errors = validateScenarioValue(document.value);
  return explainSchemaErrors(errors, { file: 'x.yaml', path: [], value: document.value, positions: document.positions }, getScenarioSchema()).map(formatProblem);
}

describe('explainSchemaErrors', () => {
  it('finds nothing to explain in a valid scenario', () => {
    expect(explain(valid)).toEqual([]);
  });

  it('says which type was expected and what was found', () => {
    expect(explain(`${valid}runs: three\nstabilizeMs: 1.5\n`)).toEqual([
      'x.yaml:9:7 runs: expected an integer; got "three"',
      'x.yaml:10:14 stabilizeMs: expected an integer; got 1.5',
    ]);
  });

  it('an unquoted octal mode (a number to YAML) is told to be quoted, with its leading 0 back', () => {
    const chmod = valid.replace(/fault:\n(.*\n)*/, 'fault:\n  type: file.chmod\n  path: config/orchestrator.conf\n  mode: 0644\n');
    expect(explain(chmod)).toEqual([expect.stringMatching(/fault\.mode: expected a string; got 644 \(YAML reads an unquoted mode as a number, dropping its leading 0: quote it, e\.g\. "0644"\)$/)]);
  });

  it('reports only the type error for a value of the wrong kind, not the errors inside it', () => {
    expect(explain(valid.replace(/fault:\n(.*\n)*/, 'fault: kill\n'))).toEqual(['x.yaml:6:8 fault: expected a mapping; got "kill"']);
  });

  it('merges a union of constants into one "expected one of"', () => {
    const text = valid.replace('  - probe: tmux.session\n    session: tmux-orc\n', '  - probe: file.parses\n    path: p\n    format: xml\n');
    expect(explain(text)).toEqual(['x.yaml:6:13 steadyState.0.format: expected one of shell, json, yaml, ini; got "xml"']);
  });

  it('suggests the nearest value for a misspelt probe type, fault type or option', () => {
    const probe = valid.replace('probe: tmux.session', 'probe: tmux.sesion');
    expect(explain(probe)).toEqual([expect.stringMatching(/steadyState\.0\.probe: expected one of tmux\.session, .*; got "tmux\.sesion"; did you mean "tmux\.session"\?$/)]);
    const fault = valid.replace('type: tmux.kill-session', 'type: tmux.kill-sesion');
    expect(explain(fault)).toEqual([expect.stringMatching(/fault\.type: expected one of .*; got "tmux\.kill-sesion"; did you mean "tmux\.kill-session"\?$/)]);
    const format = valid.replace('  - probe: tmux.session\n    session: tmux-orc\n', '  - probe: file.parses\n    path: p\n    format: jsno\n');
    expect(explain(format)).toEqual(['x.yaml:6:13 steadyState.0.format: expected one of shell, json, yaml, ini; got "jsno"; did you mean "json"?']);
    const mode = valid.replace(/fault:\n(.*\n)*/, 'fault:\n  type: config.corrupt\n  path: config/orchestrator.conf\n  mode: trunc\n');
    expect(explain(mode)).toEqual([expect.stringMatching(/fault\.mode: expected one of truncate, .*; got "trunc"; did you mean "truncate"\?$/)]);
  });

  it('explains the branch of a union that fits the value (a window name that is empty)', () => {
    const text = valid.replace('  - probe: tmux.session\n    session: tmux-orc\n', '  - probe: tmux.window\n    session: s\n    window: ""\n');
    expect(explain(text)).toEqual(['x.yaml:6:13 steadyState.0.window: expected a non-empty string; got ""']);
  });

  it('says what a union accepts when no branch fits the value', () => {
    const text = valid.replace('  - probe: tmux.session\n    session: tmux-orc\n', '  - probe: tmux.window\n    session: s\n    window: [1]\n');
    expect(explain(text)).toEqual(['x.yaml:6:13 steadyState.0.window: expected a string or an integer; got a list of 1']);
  });

  it('reports a probe without its `probe` field once, with the valid types', () => {
    const text = valid.replace('  - probe: tmux.session\n', '  - name: nameless\n');
    // Every registered probe type, in registry order (the list grows with the registry).
    expect(explain(text)).toEqual([`x.yaml:4:5 steadyState.0.probe: missing required field; expected one of ${[...probeRegistry.keys()].join(', ')}`]);
    expect([...probeRegistry.keys()]).toEqual(expect.arrayContaining(['tmux.session', 'log.match', 'supervisor.program']));
  });

  it('lists the allowed fields when an unknown one is not close to any', () => {
    expect(explain(`${valid}expect: { bogus: true }\n`)).toEqual(['x.yaml:9:11 expect.bogus: unknown field `bogus`; expected one of recovered, ttdMs, rtoMs, dataLoss']);
  });

  it('explains limits, lengths, patterns and duplicates', () => {
    const text = valid.replace('id: ok\ntitle: A title\n', 'id: Bad_Id\ntitle: ""\ntags: [a, a]\n') + 'expect: { rtoMs: -1 }\n';
    expect(explain(text)).toEqual([
      'x.yaml:1:5 id: expected a string matching /^[a-z0-9]+(-[a-z0-9]+)*$/ (Unique id, kebab-case); got "Bad_Id"',
      'x.yaml:2:8 title: expected a non-empty string; got ""',
      'x.yaml:3:11 tags.1: expected unique items; got "a" again (also at tags.0)',
      'x.yaml:10:18 expect.rtoMs: expected a number ≥ 0; got -1',
    ]);
  });

  it('places an empty value at its key', () => {
    expect(explain(`${valid}target:\n`)).toEqual(['x.yaml:9:1 target: expected a string; got null']);
  });

  it('reports an empty steady state list', () => {
    expect(explain(valid.replace(/steadyState:\n(  .*\n)*/, 'steadyState: []\n'))).toEqual(['x.yaml:3:14 steadyState: expected at least one item; got an empty list']);
  });
});
