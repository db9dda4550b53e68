// Reads one scenario file: YAML with positions, one scenario or a list, worksheets recognised.
import { readRegularFileBounded } from '../util/files.js';
import { createProblem, type Problem } from '../validate/problem.js';
import { describeValue } from '../validate/describe.js';
import { decodeInputText } from './decode-text.js';
import { getInputLimits, MAX_SCENARIOS_PER_FILE, type InputLimits } from './input-limits.js';
import { parseYamlDocuments, YamlLimitError, YamlSyntaxError, type LocatedValue } from './positions.js';
import type { ScenarioFile } from './find-files.js';

/** What one file holds: its scenarios (not yet validated), or problems, or that it is a worksheet to skip. */
export interface ScenarioFileContent {
  scenarios: LocatedValue[];
  problems: Problem[];
  /** A `kind: worksheet` file met while walking a directory. */
  skipped: boolean;
  /** The file is a target file (name, home, roots; no steady state or fault): to be validated as one. */
  targetFile?: boolean;
}

/** Reads and parses a scenario file; never throws for bad input, it reports problems instead. */
export async function readScenarioFile(source: ScenarioFile, limits: InputLimits = getInputLimits()): Promise<ScenarioFileContent> {
  const { file } = source;
  const fail = (problem: Problem): ScenarioFileContent => ({ scenarios: [], problems: [problem], skipped: false });
  const read = await readBoundedFile(source.absolute, limits.maxBytes);
  if (typeof read === 'string') return fail(createProblem(file, undefined, '', read));
  const decoded = decodeInputText(read);
  if (!decoded.ok) return fail(createProblem(file, decoded.point, '', decoded.reason));
  let documents;
  try {
    documents = parseYamlDocuments(decoded.text, limits);
  } catch (error) {
    if (error instanceof YamlLimitError) return fail(createProblem(file, error, '', `refused: ${error.message}`));
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
  if (isWorksheet(value)) {
    if (!source.explicit) return { scenarios: [], problems: [], skipped: true };
    const kind = (value as { kind: string }).kind;
    return fail(createProblem(file, positions.locate(['kind'], 'key'), 'kind', kind === 'claims'
      ? `this file holds recovery claims, not a scenario; scenarios name its ids in \`claims: [id]\``
      : kind === 'gameday'
        ? `this file is a game-day plan, not a scenario; use \`faultline gameday validate ${file}\` or \`faultline gameday run ${file}\``
        : `this file is an FMEA worksheet, not a scenario; use \`faultline fmea score ${file}\``));
  }
  if (isTargetFile(value)) return { scenarios: [], problems: [], skipped: true, targetFile: true };
  if (Array.isArray(value)) {
    if (value.length === 0) return fail(createProblem(file, positions.locate([]), '', 'expected at least one scenario; got an empty list'));
    if (value.length > MAX_SCENARIOS_PER_FILE) return fail(createProblem(file, positions.locate([]), '', `refused: ${value.length} scenarios in one file, more than ${MAX_SCENARIOS_PER_FILE} (the limit); split the list into several files`));
    return { scenarios: value.map((item, index) => ({ file, path: [index], value: item, positions })), problems: [], skipped: false };
  }
  if (typeof value !== 'object' || value instanceof Date) {
    return fail(createProblem(file, positions.locate([]), '', `expected a scenario (a mapping) or a list of scenarios; got ${describeValue(value)}`));
  }
  return { scenarios: [{ file, path: [], value, positions }], problems: [], skipped: false };
}

// Worksheets, claims files and game-day plans sit beside the scenarios; a directory walk skips them.
function isWorksheet(value: unknown): boolean {
  const kind = value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>).kind : undefined;
  return kind === 'worksheet' || kind === 'claims' || kind === 'gameday';
}

// A target file beside the scenarios (what a scenario's `target:` names): it has roots and a home, and no
// steady state or fault, so reporting it as a scenario would list every scenario field as missing.
function isTargetFile(value: unknown): boolean {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const fields = value as Record<string, unknown>;
  return Array.isArray(fields.roots) && 'home' in fields && !('steadyState' in fields) && !('fault' in fields);
}

/** An input file's bytes, or why not (a message to show); see readRegularFileBounded. */
export async function readBoundedFile(path: string, maxBytes: number): Promise<Uint8Array | string> {
  const read = await readRegularFileBounded(path, maxBytes);
  if ('bytes' in read) return read.bytes;
  if (read.reason === 'cannot-open') return `cannot read (${read.code})`;
  if (read.reason === 'not-regular') return 'refused: not a regular file (a device, FIFO or socket is never read)';
  return `refused: the file is larger than ${maxBytes} bytes (the limit; raise it with --max-input-bytes or FAULTLINE_MAX_INPUT_BYTES)`;
}
