import { describe, expect, it } from 'vitest';
import { parseYamlDocuments, type LocatedValue } from '../../src/scenario/positions.js';
import { checkScenarios } from '../../src/validate/check-scenarios.js';
import { formatProblem } from '../../src/validate/problem.js';

function locate(file: string, text: string): LocatedValue[] {
  const [document] = parseYamlDocuments(text);
  if (!document) throw new Error('no document');
  const values = Array.isArray(document.value) ? document.value : [document.value];
  return values.map((value, index) => ({ file, path: Array.isArray(document.value) ? [index] : [], value, positions: document.positions }));
}

const check = (...scenarios: LocatedValue[][]) => checkScenarios(scenarios.flat()).map(formatProblem);

describe('checkScenarios', () => {
  it('finds nothing wrong with distinct ids and valid regexes', () => {
    expect(check(locate('a.yaml', 'id: a\nsteadyState: [{ probe: command, stdoutMatches: "^ok$" }]\n'), locate('b.yaml', 'id: b\n'))).toEqual([]);
  });

  it('reports a duplicate id within one list file', () => {
    expect(check(locate('a.yaml', '- id: a\n- id: a\n'))).toEqual(['a.yaml:2:7 1.id: duplicate scenario id "a"; first defined at a.yaml:1:7']);
  });

  it('reports a `matches` field that is not a regular expression, wherever it is', () => {
    expect(check(locate('a.yaml', 'id: a\nsteadyState:\n  - probe: tmux.pane-text\n    matches: "[unclosed"\n'))).toEqual([
      'a.yaml:4:14 steadyState.0.matches: expected a valid regular expression; got "[unclosed" (Unterminated character class)',
    ]);
  });

  it('reports a failure mode rated differently by two scenarios', () => {
    const first = locate('a.yaml', 'id: a\nfmea: { id: SPOF-001, severity: 10, occurrence: 3, detection: 9 }\n');
    const second = locate('b.yaml', 'id: b\nfmea: { id: SPOF-001, severity: 10, occurrence: 4, detection: 9 }\n');
    expect(check(first, second)).toEqual(['b.yaml:2:49 fmea.occurrence: expected 3 as at a.yaml:2:49 (one occurrence rating per failure mode SPOF-001); got 4']);
  });
});
