// Checks the schema cannot express: ids unique across files, regexes that compile, numbers finite
// everywhere (free-form fields too), one rating per failure mode.
import { formatDataPath, type LocatedValue } from '../scenario/positions.js';
import { describeValue } from './describe.js';
import { createProblem, type Problem } from './problem.js';

// Fields holding a regular expression are named `matches` or `…Matches` (e.g. `stdoutMatches`).
const regexField = /^(matches|[a-z][A-Za-z0-9]*Matches)$/;
const ratings = ['severity', 'occurrence', 'detection'] as const;

/** Finds problems across all scenarios of a load (each one already located in its file). */
export function checkScenarios(scenarios: readonly LocatedValue[]): Problem[] {
  return [...checkDuplicateIds(scenarios), ...scenarios.flatMap(checkRegexFields), ...scenarios.flatMap(checkTodoMarkers), ...checkFmeaRatings(scenarios)];
}

// A value that still reads "TODO …" (as `faultline scenarios scaffold` writes them) is unfinished: never a valid scenario.
function checkTodoMarkers(scenario: LocatedValue): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown, path: Array<string | number>) => {
    if (typeof node === 'string' && /^\s*TODO\b/.test(node)) {
      problems.push(createProblem(scenario.file, locate(scenario, path), formatDataPath([...scenario.path, ...path]), `still a TODO: ${node.trim()}; fill it in`));
    } else if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, index]));
    else if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
      for (const [key, value] of Object.entries(node)) visit(value, [...path, key]);
    }
  };
  visit(scenario.value, []);
  return problems;
}

function checkDuplicateIds(scenarios: readonly LocatedValue[]): Problem[] {
  const first = new Map<string, string>();
  const problems: Problem[] = [];
  for (const scenario of scenarios) {
    const id = getField(scenario.value, 'id');
    if (typeof id !== 'string') continue;
    const here = describeLocation(scenario, ['id']);
    const earlier = first.get(id);
    if (earlier === undefined) first.set(id, here);
    else problems.push(createProblem(scenario.file, locate(scenario, ['id']), formatDataPath([...scenario.path, 'id']), `duplicate scenario id ${JSON.stringify(id)}; first defined at ${earlier}`));
  }
  return problems;
}

function checkRegexFields(scenario: LocatedValue): Problem[] {
  const problems: Problem[] = [];
  const visit = (node: unknown, path: Array<string | number>) => {
    if (Array.isArray(node)) node.forEach((item, index) => visit(item, [...path, index]));
    else if (node !== null && typeof node === 'object' && !(node instanceof Date)) {
      for (const [key, value] of Object.entries(node)) {
        if (typeof value === 'number' && !Number.isFinite(value)) {
          problems.push(createProblem(scenario.file, locate(scenario, [...path, key]), formatDataPath([...scenario.path, ...path, key]), `expected a finite number; got ${String(value)}`));
        } else if (typeof value === 'string' && regexField.test(key)) {
          const reason = findRegexError(value);
          if (reason) problems.push(createProblem(scenario.file, locate(scenario, [...path, key]), formatDataPath([...scenario.path, ...path, key]), `expected a valid regular expression; got ${describeValue(value)} (${reason})`));
        } else visit(value, [...path, key]);
      }
    }
  };
  visit(scenario.value, []);
  return problems;
}

function findRegexError(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'm');
    return undefined;
  } catch (error) {
    // "Invalid regular expression: /(/m: Unterminated group" → "Unterminated group"
    return error instanceof Error ? (error.message.split(': ').at(-1) ?? error.message) : String(error);
  }
}

// Two scenarios may test the same failure mode, but its worksheet row can hold only one S/O/D.
function checkFmeaRatings(scenarios: readonly LocatedValue[]): Problem[] {
  const first = new Map<string, LocatedValue>();
  const problems: Problem[] = [];
  for (const scenario of scenarios) {
    const fmea = getField(scenario.value, 'fmea');
    const id = getField(fmea, 'id');
    if (typeof id !== 'string') continue;
    const earlier = first.get(id);
    if (!earlier) {
      first.set(id, scenario);
      continue;
    }
    for (const rating of ratings) {
      const expected = getField(getField(earlier.value, 'fmea'), rating);
      const got = getField(fmea, rating);
      if (typeof expected !== 'number' || typeof got !== 'number' || expected === got) continue;
      const path = ['fmea', rating];
      problems.push(createProblem(scenario.file, locate(scenario, path), formatDataPath([...scenario.path, ...path]),
        `expected ${expected} as at ${describeLocation(earlier, path)} (one ${rating} rating per failure mode ${id}); got ${got}`));
    }
  }
  return problems;
}

function getField(value: unknown, key: string): unknown {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

function locate(scenario: LocatedValue, path: Array<string | number>) {
  return scenario.positions.locate([...scenario.path, ...path]);
}

function describeLocation(scenario: LocatedValue, path: Array<string | number>): string {
  const point = locate(scenario, path);
  return `${scenario.file}:${point.line}:${point.column}`;
}
