// The CLI entry: wires commands and is the one error boundary (known errors: one line and a hint).
import { readFileSync } from 'node:fs';
import { ExitCode, FaultlineError } from '../errors.js';
import { agentCommand } from './commands/agent.js';
import { claimsCommand } from './commands/claims.js';
import { fmeaCommand } from './commands/fmea.js';
import { historyCommand } from './commands/history.js';
import { recoverCommand } from './commands/recover.js';
import { reportCommand } from './commands/report.js';
import { runCommand } from './commands/run.js';
import { scenariosCommand } from './commands/scenarios.js';
import { scheduleCommand } from './commands/schedule.js';
import { targetCommand } from './commands/target.js';
import { validateCommand } from './commands/validate.js';
import { gamedayCommand } from './commands/gameday.js';
import { haltCommand } from './commands/halt.js';
import { noteCommand } from './commands/note.js';
import { printError } from './print-error.js';
import { getTerminalWidth } from './terminal-width.js';
import { loadYargs } from './load-yargs.js';
import { createUsageError, type YargsUsage } from './usage-error.js';

/** Parses argv, runs the command, and sets the exit code. */
export async function main(argv: string[]): Promise<void> {
  // --version belongs to faultline, not to each command (yargs' own would show in every command's help).
  if (argv.length === 1 && argv[0] === '--version') {
    process.stdout.write(`${readVersion()}\n`);
    return;
  }
  const cli = loadYargs()(argv)
    .scriptName('faultline')
    .usage('$0 <command> [options]\n\nInject faults into a live tmux orchestrator, measure time to detect and recover, and report RTO/RPO and FMEA evidence.')
    .command(runCommand)
    .command(validateCommand)
    .command(targetCommand)
    .command(recoverCommand)
    .command(fmeaCommand)
    .command(claimsCommand)
    .command(scenariosCommand)
    .command(reportCommand)
    .command(historyCommand)
    .command(scheduleCommand)
    .command(agentCommand)
    .command(gamedayCommand)
    .command(haltCommand)
    .command(noteCommand)
    .demandCommand(1, 'Name a command: faultline run | validate | target | recover | report | history | schedule | fmea | claims | scenarios | gameday | halt | note (see --help).')
    .recommendCommands()
    .strict()
    .help()
    .alias('h', 'help')
    .version(false)
    .option('version', { type: 'boolean', global: false, describe: 'Show the version number' })
    .wrap(getTerminalWidth())
    .epilogue('Exit codes: 0 pass · 1 gate failed · 2 invalid input · 3 aborted · 4 rollback failed (run `faultline recover`).')
    .fail((message, error, usage) => {
      throw error ?? createUsageError(message, argv, usage as unknown as YargsUsage | undefined);
    });
  try {
    await cli.parseAsync();
  } catch (error) {
    printError(error);
    process.exitCode = error instanceof FaultlineError ? error.exitCode : ExitCode.aborted;
  }
}

function readVersion(): string {
  const file = new URL('../../package.json', import.meta.url);
  return (JSON.parse(readFileSync(file, 'utf8')) as { version: string }).version;
}
