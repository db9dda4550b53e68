// Validates one steady-state probe the way `faultline validate` does (schema, then the checks the schema
// cannot express) and returns the problems without their file position.
import { parseYamlDocuments } from '../../src/scenario/positions.js';
import { checkScenarios } from '../../src/validate/check-scenarios.js';
import { explainSchemaErrors } from '../../src/validate/explain-schema-errors.js';
import { getScenarioSchema, validateScenarioValue } from '../../src/validate/scenario-validator.js';

/** Problems of a scenario whose only probe is `probeYaml` (a flow mapping), as "path: message". */
export function explainProbe(probeYaml: string): string[] {
  const text = `id: ok\ntitle: T\nsteadyState:\n  - ${probeYaml}\nfault:\n  type: tmux.kill-session\n  session: s\n`;
  const [document] = parseYamlDocuments(text);
  if (!document) throw new Error('no document');
  const located = { file: 'x.yaml', path: [], value: document.value, positions: document.positions };
  const problems = [...explainSchemaErrors(validateScenarioValue(document.value), located, getScenarioSchema()), ...checkScenarios([located])];
  return problems.map((problem) => `${problem.path}: ${problem.message}`);
}
