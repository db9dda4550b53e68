// Reads one scenario file: YAML with positions, one scenario or a list, worksheets recognised.
import { readFile } from 'node:fs/promises';
import { createProblem, type Problem } from '../validate/problem.js';
import { describeValue } from '../validate/describe.js';
import { parseYamlDocuments, YamlSyntaxError, type LocatedValue } from './positions.js';
import type { ScenarioFile } from './find-files.js';

/** What one file holds: its scenarios (not yet validated), or problems, or that it is a worksheet to skip. */
export interface ScenarioFileContent {
  scenarios: LocatedValue[];
  problems: Problem[];
  /** A `kind: worksheet` file met while walking a directory. */
  skipped: boolean;
}

/** Reads and parses a scenario file; never throws for bad input, it reports problems instead. */
export async function readScenarioFile(source: ScenarioFile): Promise<ScenarioFileContent> {
  const { file } = source;
  const fail = (problem: Problem): ScenarioFileContent => ({ scenarios: [], problems: [problem], skipped: false });
  let text: string;
  try {
    text = await readFile(source.absolute, 'utf8');
  } catch (error) {
    return fail(createProblem(file, undefined, '', `cannot read (${(error as NodeJS.ErrnoException).code ?? String(error)})`));
  }
  let documents;
  try {
    documents = parseYamlDocuments(text);
  } catch (error) {
    if (error instanceof YamlSyntaxError) return fail(createProblem(file, error, '', `invalid YAML: ${error.message}`));
    throw error;
  }
  const [document, second] = documents;
  if (!document || document.value === null || document.value === undefined) {
    return fail(createProblem(file, { line: 1, column: 1 }, '', 'the file is empty; expected a scenario or a list of scenarios'));
  }
  if (second) {
    return fail(createProblem(file, second.positions.locate([]), '', `expected one YAML document; got ${documents.length} (put several scenarios in one list instead)`));
  }
  const { value, positions } = document;
  // A pack's own target file (scenarios/supervised/target.yaml) sits beside its scenarios: skipped in a walk.
  if (isTargetFile(value) && !source.explicit) return { scenarios: [], problems: [], skipped: true };
  if (isWorksheet(value)) {
    if (!source.explicit) return { scenarios: [], problems: [], skipped: true };
    return fail(createProblem(file, positions.locate(['kind'], 'key'), 'kind', `this file is an FMEA worksheet, not a scenario; use \`faultline fmea score ${file}\``));
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return fail(createProblem(file, positions.locate([]), '', 'expected at least one scenario; got an empty list'));
    return { scenarios: value.map((item, index) => ({ file, path: [index], value: item, positions })), problems: [], skipped: false };
  }
  if (typeof value !== 'object' || value instanceof Date) {
    return fail(createProblem(file, positions.locate([]), '', `expected a scenario (a mapping) or a list of scenarios; got ${describeValue(value)}`));
  }
  return { scenarios: [{ file, path: [], value, positions }], problems: [], skipped: false };
}

function isWorksheet(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && (value as Record<string, unknown>).kind === 'worksheet';
}

// A target file: a mapping with home and roots and no steady state (see schemas/target.schema.json).
function isTargetFile(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const record = value as Record<string, unknown>;
  return 'home' in record && 'roots' in record && !('steadyState' in record);
}
