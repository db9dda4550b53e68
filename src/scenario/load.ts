// Loads scenario files: find, parse with positions, validate everything, then apply defaults.
import { InputError } from '../errors.js';
import { checkScenarioParams } from '../validate/check-params.js';
import { checkScenarios } from '../validate/check-scenarios.js';
import { explainSchemaErrors } from '../validate/explain-schema-errors.js';
import { createProblem, formatProblem, sortProblems, type Problem } from '../validate/problem.js';
import { getScenarioSchema, validateScenarioValue } from '../validate/scenario-validator.js';
import { applyScenarioDefaults } from './defaults.js';
import { findScenarioFiles } from './find-files.js';
import type { LocatedValue } from './positions.js';
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
}

/** How a load reads: `maxInputBytes` (else FAULTLINE_MAX_INPUT_BYTES, else 1 MiB); `checkTargets` also opens target files as a run would. */
export interface LoadOptions {
  maxInputBytes?: number;
  checkTargets?: boolean;
}

/** Reads and validates scenario files and directories; reports problems instead of throwing. Changes nothing on disk. */
export async function inspectScenarioFiles(paths: readonly string[], options: LoadOptions = {}): Promise<ScenarioInspection> {
  const limits = getInputLimits(options.maxInputBytes);
  const found = await findScenarioFiles(paths);
  const problems = [...found.problems];
  const located: LocatedValue[] = [];
  const valid = new Set<LocatedValue>();
  const absolutes = new Map<string, string>();
  let files = 0;
  for (const source of found.files) {
    const content = await readScenarioFile(source, limits);
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
  problems.push(...checkScenarios(located), ...[...valid].flatMap(checkScenarioParams));
  if (options.checkTargets) {
    // The run's own checks of target files (the default tmux server is refused here as there).
    const { checkScenarioTargets } = await import('../validate/check-targets.js');
    problems.push(...(await checkScenarioTargets([...valid], (scenario) => absolutes.get(scenario.file) ?? scenario.file)));
  }
  if (problems.length === 0 && located.length === 0) {
    problems.push(createProblem(paths.join(', '), undefined, '', 'no scenarios found (FMEA worksheets are skipped)'));
  }
  const scenarios = located.filter((scenario) => valid.has(scenario)).map((scenario) => createScenario(scenario, absolutes.get(scenario.file) ?? scenario.file));
  return { files, scenarios, problems: sortProblems(problems, [...paths, ...found.files.map((source) => source.file)]) };
}

/** Validates scenario files for `faultline validate`: counts, problems as printed lines, and the same problems structured. */
export async function validateScenarioFiles(paths: readonly string[], options: LoadOptions = {}): Promise<{ files: number; scenarios: number; problems: string[]; details: Problem[] }> {
  const inspection = await inspectScenarioFiles(paths, { checkTargets: true, ...options });
  return {
    files: inspection.files,
    scenarios: inspection.scenarios.length,
    problems: inspection.problems.map(formatProblem),
    details: inspection.problems,
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
