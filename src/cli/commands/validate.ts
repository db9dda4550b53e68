// `faultline validate`: yargs wiring only; the loader (ajv, js-yaml) is imported when the command runs.
import type { CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import { pluralize } from '../../util/plural.js';
import { sanitizeForTerminal } from '../../util/terminal-text.js';

/** Options of `faultline validate` as parsed. */
export interface ValidateArgs {
  paths: string[];
  json: boolean;
  maxInputBytes?: number;
}

export const validateCommand: CommandModule<object, ValidateArgs> = {
  command: 'validate [paths..]',
  describe: 'Check scenario files (schema, ids, regexes, timing) and the target files they name, without touching anything',
  builder: (yargs) =>
    yargs
      .positional('paths', { type: 'string', array: true, default: ['scenarios'], describe: 'Scenario files or folders (searched for *.yaml, *.yml)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print { ok, files, scenarios, targetFiles, problems, warnings } as JSON' })
      .option('max-input-bytes', { type: 'number', describe: 'Largest scenario file read (default 1 MiB, or FAULTLINE_MAX_INPUT_BYTES)' })
      .example('$0 validate scenarios/', 'every scenario under scenarios/')
      .example('$0 validate scenarios/x.yaml --json', 'machine-readable problems with file, line, column and path') as never,
  handler: async (args) => {
    const [{ validateScenarioFiles }, { checkMaxInputBytes }] = await Promise.all([import('../../scenario/load.js'), import('../../scenario/input-limits.js')]);
    const result = await validateScenarioFiles(args.paths, args.maxInputBytes !== undefined ? { maxInputBytes: checkMaxInputBytes(args.maxInputBytes, '--max-input-bytes') } : {});
    const ok = result.problems.length === 0;
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ok, files: result.files, scenarios: result.scenarios, targetFiles: result.targetFiles, problems: result.details, warnings: result.warningDetails }, null, 2)}\n`);
      if (!ok) process.exitCode = ExitCode.invalidInput;
      return;
    }
    // Warnings do not fail validation: the scenario runs, but its timing may make its verdict meaningless.
    const warnings = result.warnings.map((line) => `warning: ${line}\n`).join('');
    const targets = result.targetFiles > 0 ? ` and ${pluralize(result.targetFiles, 'target file')}` : '';
    if (ok) {
      const valid = result.scenarios + result.targetFiles === 1 ? 'is' : 'are';
      process.stdout.write(`${warnings}✓ ${pluralize(result.scenarios, 'scenario')} in ${pluralize(result.files, 'file')}${targets} ${valid} valid${result.warnings.length > 0 ? ` (${pluralize(result.warnings.length, 'warning')})` : ''}\n`);
    } else {
      const files = new Set(result.details.map((problem) => problem.file)).size;
      process.stdout.write(`${result.problems.map((line) => sanitizeForTerminal(line)).join('\n')}\n${warnings}✗ ${pluralize(result.problems.length, 'problem')} in ${pluralize(files, 'file')}\n`);
    }
    if (!ok) process.exitCode = ExitCode.invalidInput;
  },
};
