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
  command: 'validate <paths..>',
  describe: 'Check scenario files (schema, ids, regexes) without touching anything',
  builder: (yargs) =>
    yargs
      .positional('paths', { type: 'string', array: true, demandOption: true, describe: 'Scenario files or folders (searched for *.yaml, *.yml)' })
      .option('json', { type: 'boolean', default: false, describe: 'Print { ok, files, scenarios, problems } as JSON' })
      .option('max-input-bytes', { type: 'number', describe: 'Largest scenario file read (default 1 MiB, or FAULTLINE_MAX_INPUT_BYTES)' })
      .example('$0 validate scenarios/', 'every scenario under scenarios/')
      .example('$0 validate scenarios/x.yaml --json', 'machine-readable problems with file, line, column and path') as never,
  handler: async (args) => {
    const [{ validateScenarioFiles }, { checkMaxInputBytes }] = await Promise.all([import('../../scenario/load.js'), import('../../scenario/input-limits.js')]);
    const result = await validateScenarioFiles(args.paths, args.maxInputBytes !== undefined ? { maxInputBytes: checkMaxInputBytes(args.maxInputBytes, '--max-input-bytes') } : {});
    const ok = result.problems.length === 0;
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ok, files: result.files, scenarios: result.scenarios, problems: result.details }, null, 2)}\n`);
    } else if (ok) {
      process.stdout.write(`✓ ${pluralize(result.scenarios, 'scenario')} in ${pluralize(result.files, 'file')} ${result.scenarios === 1 ? 'is' : 'are'} valid\n`);
    } else {
      const files = new Set(result.details.map((problem) => problem.file)).size;
      process.stdout.write(`${result.problems.map((line) => sanitizeForTerminal(line)).join('\n')}\n✗ ${pluralize(result.problems.length, 'problem')} in ${pluralize(files, 'file')}\n`);
    }
    if (!ok) process.exitCode = ExitCode.invalidInput;
  },
};
