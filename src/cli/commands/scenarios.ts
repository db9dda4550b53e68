// `faultline scenarios scaffold`: yargs wiring only; the importer and scaffolder are imported when it runs.
import type { Argv, CommandModule } from 'yargs';
import { runWithExitCode } from '../run-with-exit-code.js';

/** Options of `faultline scenarios scaffold`. */
export interface ScaffoldArgs {
  from: string;
  out: string;
}

/** Runs `scenarios scaffold`. */
export async function handleScenariosScaffold(args: ScaffoldArgs): Promise<void> {
  await runWithExitCode(async () => {
    const { runScenariosScaffold } = await import('../../fmea/commands/run-scaffold.js');
    return runScenariosScaffold({ from: args.from, out: args.out });
  });
}

const scaffoldCommand: CommandModule<object, ScaffoldArgs> = {
  command: 'scaffold',
  describe: 'Write one scenario file per failure mode with no experiment yet, its gaps marked TODO (validate refuses it until filled)',
  builder: (yargs) =>
    yargs
      .option('from', { type: 'string', demandOption: true, describe: 'Worksheet (YAML/CSV) or FMEA document (Markdown)' })
      .option('out', { alias: 'o', type: 'string', demandOption: true, describe: 'Folder to write <id>.yaml files into (existing files are left alone)' })
      .example('$0 scenarios scaffold --from resilience-matrix.md --out scenarios/new', 'then fill the TODOs and `faultline validate scenarios/new`') as never,
  handler: handleScenariosScaffold,
};

/** `faultline scenarios <scaffold>`, for the CLI's main to register. */
export const scenariosCommand: CommandModule = {
  command: 'scenarios <command>',
  describe: 'Scenario files: scaffold experiments for the failure modes of a worksheet or document',
  builder: (yargs: Argv) => yargs.command(scaffoldCommand).demandCommand(1, 'Name a subcommand: scaffold'),
  handler: () => undefined,
};
