// Loads scenario files: find, parse with positions, validate everything, then apply defaults.
import { FaultlineError, InputError } from '../errors.js';
import { checkScenarioParams } from '../validate/check-params.js';
import { checkScenarios } from '../validate/check-scenarios.js';
import { checkScenarioTiming } from '../validate/check-timing.js';
import { checkDeprecatedFaults } from '../validate/check-deprecated.js';
import { checkCapabilities } from '../validate/check-capabilities.js';
import { explainSchemaErrors } from '../validate/explain-schema-errors.js';
import { createProblem, formatProblem, sortProblems, type Problem } from '../validate/problem.js';
import { getScenarioSchema, validateScenarioValue } from '../validate/scenario-validator.js';
import { applyScenarioDefaults } from './defaults.js';
import { findScenarioFiles } from './find-files.js';
import { formatDataPath, type LocatedValue } from './positions.js';
import { getInputLimits } from './input-limits.js';
import { readScenarioFile } from './read-scenario-file.js';
import type { Scenario } from './types.js';
import { pluralize } from '../util/plural.js';

/** Everything a load found: the files read, valid scenarios (defaults applied), and every problem. */
export interface ScenarioInspection {
  /** Scenario files read (worksheets skipped in a directory walk are not counted). */
  files: number;
  scenarios: Scenario[];
  problems: Problem[];
  /** What a run can do but probably should not (timing it cannot honour). */
  warnings: Problem[];
  /** Target files found among the scenarios and checked as target files. */
  targetFiles: number;
}

/** How a load reads: `maxInputBytes` (else FAULTLINE_MAX_INPUT_BYTES, else 1 MiB). */
export interface LoadOptions {
  maxInputBytes?: number;
}

/** Reads and validates scenario files and directories; reports problems instead of throwing. Changes nothing on disk. */
export async function inspectScenarioFiles(paths: readonly string[], options: LoadOptions = {}): Promise<ScenarioInspection> {
  const limits = getInputLimits(options.maxInputBytes);
  const found = await findScenarioFiles(paths);
  const problems = [...found.problems];
  const located: LocatedValue[] = [];
  const valid = new Set<LocatedValue>();
  const absolutes = new Map<string, string>();
  const targetFiles = new Map<string, string>();
  let files = 0;
  for (const source of found.files) {
    const content = await readScenarioFile(source, limits);
    if (content.targetFile) targetFiles.set(source.absolute, source.file);
    if (content.skipped) continue;
    files += 1;
    absolutes.set(source.file, source.absolute);
    problems.push(...content.problems);
    for (const scenario of content.scenarios) {
      located.push(scenario);
      const errors = validateScenarioValue(scenario.value);
      if (errors.length === 0) valid.add(scenario);
      else problems.push(...explainSchemaErrors(errors, scenario, getScenarioSchema()));
    }
  }
  problems.push(...checkScenarios(located), ...[...valid].flatMap(checkScenarioParams), ...(await checkCapabilities([...valid], absolutes)));
  // Target files: those named by a scenario, and those met among the scenario files, each checked once.
  const validLocated = located.filter((scenario) => valid.has(scenario));
  const scenarios = validLocated.map((scenario) => createScenario(scenario, absolutes.get(scenario.file) ?? scenario.file));
  const warnings = validLocated.flatMap((scenario, index) => [...checkScenarioTiming(scenario, scenarios[index] as unknown as Record<string, unknown>), ...checkDeprecatedFaults(scenario)]);
  problems.push(...(await checkTargetFiles(validLocated, scenarios, targetFiles)));
  if (problems.length === 0 && located.length === 0 && targetFiles.size === 0) {
    problems.push(createProblem(paths.join(', '), undefined, '', 'no scenarios found (FMEA worksheets are skipped)'));
  }
  const order = [...paths, ...found.files.map((source) => source.file)];
  return { files, scenarios, problems: sortProblems(problems, order), warnings: sortProblems(warnings, order), targetFiles: targetFiles.size };
}

// Opens each target file the way a run will (its loader's checks: readable, valid, a socket named), without starting anything.
async function checkTargetFiles(located: readonly LocatedValue[], scenarios: readonly Scenario[], found: ReadonlyMap<string, string>): Promise<Problem[]> {
  const { getTargetKey, isBundledTarget } = await import('../targets/open-target.js');
  const results = new Map<string, Promise<string[]>>();
  const check = (file: string) => {
    if (!results.has(file)) results.set(file, openTargetFile(file));
    return results.get(file)!;
  };
  const problems: Problem[] = [];
  for (const [absolute, shown] of found) {
    for (const message of await check(absolute)) problems.push(createProblem(shown, undefined, '', message));
  }
  for (const [index, scenario] of scenarios.entries()) {
    if (isBundledTarget(scenario.target)) continue;
    const file = getTargetKey(scenario.target, scenario.source.file);
    const messages = await check(file);
    if (messages.length === 0 || found.has(file)) continue; // a file in the walk is reported once, under its own name
    const where = located[index]!;
    problems.push(createProblem(where.file, where.positions.locate([...where.path, 'target']), formatDataPath([...where.path, 'target']), `target file ${file}: ${messages.join('; ')}`));
  }
  return problems;
}

async function openTargetFile(file: string): Promise<string[]> {
  const { openExternalTarget } = await import('../targets/external.js');
  try {
    const handle = await openExternalTarget(file);
    await handle.close();
    return [];
  } catch (error) {
    if (!(error instanceof FaultlineError)) throw error;
    const problems = error instanceof InputError ? error.problems : [];
    return [`${error.message}${problems.length > 0 ? `: ${problems.join('; ')}` : ''}${error.hint ? ` (${error.hint})` : ''}`];
  }
}

/** Validates scenario files for `faultline validate`: counts, problems as printed lines, and the same problems structured. */
export async function validateScenarioFiles(paths: readonly string[], options: LoadOptions = {}): Promise<{ files: number; scenarios: number; targetFiles: number; problems: string[]; details: Problem[]; warnings: string[]; warningDetails: Problem[] }> {
  const inspection = await inspectScenarioFiles(paths, options);
  return {
    files: inspection.files,
    scenarios: inspection.scenarios.length,
    targetFiles: inspection.targetFiles,
    problems: inspection.problems.map(formatProblem),
    details: inspection.problems,
    warnings: inspection.warnings.map(formatProblem),
    warningDetails: inspection.warnings,
  };
}

/** Loads scenarios with defaults applied; throws one InputError listing every problem in every file. */
export async function loadScenarios(paths: string[], options: { tags?: string[] } & LoadOptions = {}): Promise<Scenario[]> {
  const { scenarios, problems } = await inspectScenarioFiles(paths, options);
  if (problems.length > 0) {
    const files = new Set(problems.map((problem) => problem.file)).size;
    throw new InputError(`${pluralize(problems.length, 'problem')} in ${pluralize(files, 'scenario file')}`, {
      problems: problems.map(formatProblem),
      hint: 'fix them and check with `faultline validate`; nothing was run',
    });
  }
  if (scenarios.length === 0) throw new InputError(`no scenarios found in ${paths.join(', ')}`, { hint: 'FMEA worksheets and target files are not scenarios; name scenario files or folders' });
  return selectByTags(scenarios, options.tags ?? []);
}

function selectByTags(scenarios: Scenario[], tags: readonly string[]): Scenario[] {
  if (tags.length === 0) return scenarios;
  const selected = scenarios.filter((scenario) => scenario.tags.some((tag) => tags.includes(tag)));
  if (selected.length > 0) return selected;
  const available = [...new Set(scenarios.flatMap((scenario) => scenario.tags))].sort();
  throw new InputError(`no scenario has the tag${tags.length > 1 ? 's' : ''} ${tags.join(', ')}`, {
    hint: available.length > 0 ? `available tags: ${available.join(', ')}` : 'none of these scenarios has tags',
  });
}

function createScenario(located: LocatedValue, absoluteFile: string): Scenario {
  const value = applyScenarioDefaults(located.value as Record<string, unknown>, getScenarioSchema());
  const index = typeof located.path[0] === 'number' ? located.path[0] : 0;
  return { ...value, source: { file: absoluteFile, index } } as unknown as Scenario;
}
