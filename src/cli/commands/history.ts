// `faultline history` and `faultline history rebuild`: yargs wiring only; the store is opened when a command runs.
import type { Argv, CommandModule } from 'yargs';
import { runWithExitCode } from '../run-with-exit-code.js';

/** Options shared by the history commands. */
export interface HistoryStoreArgs {
  history?: string;
  reports: string;
  json: boolean;
}

/** Options of `faultline history` (the listing) as parsed. */
export interface HistoryListArgs extends HistoryStoreArgs {
  scenario?: string;
  since?: string;
  until?: string;
  kind?: 'run' | 'gameday' | 'skipped';
  limit?: number;
}

function withStoreOptions<T>(yargs: Argv<T>): Argv<T & HistoryStoreArgs> {
  return yargs
    .option('history', { type: 'string', describe: 'The history store (default <reports>/history.db)' })
    .option('reports', { type: 'string', default: 'reports', describe: 'Where the run folders are' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON instead of a table' }) as never;
}

const rebuildCommand: CommandModule<object, HistoryStoreArgs> = {
  command: 'rebuild',
  describe: 'Re-index the store from the run folders (they are the source of truth)',
  builder: (yargs) => withStoreOptions(yargs) as never,
  handler: async (args) => {
    const { runHistoryRebuild } = await import('../history-action.js');
    await runWithExitCode(() => runHistoryRebuild(args));
  },
};

const listCommand: CommandModule<object, HistoryListArgs> = {
  command: '$0',
  describe: 'List runs and game days, newest first',
  builder: (yargs) =>
    withStoreOptions(yargs)
      .option('scenario', { type: 'string', describe: 'Only runs of this scenario id' })
      .option('since', { type: 'string', describe: 'Only runs that started on or after this date (YYYY-MM-DD or ISO date-time, UTC)' })
      .option('until', { type: 'string', describe: 'Only runs that started up to this date (a bare date includes the whole day)' })
      .option('kind', { choices: ['run', 'gameday', 'skipped'] as const, describe: 'Only plain runs, game days, or skipped scheduled runs' })
      .option('limit', { type: 'number', describe: 'At most this many runs' })
      .example('$0 history --scenario agent-window-killed --since 2026-11-01', 'one scenario since November')
      .example('$0 history --json', 'everything, for other tools') as never,
  handler: async (args) => {
    const { runHistoryList } = await import('../history-action.js');
    await runWithExitCode(() => runHistoryList(args));
  },
};

export const historyCommand: CommandModule = {
  command: 'history',
  describe: 'The history of runs and game days (SQLite, rebuilt from the run folders on demand)',
  builder: (yargs) => yargs.command(listCommand).command(rebuildCommand),
  handler: () => undefined,
};
