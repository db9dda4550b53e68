// `faultline schedule install | list | remove | fire`: yargs wiring only; the schedulers are imported when a command runs.
import type { Argv, CommandModule } from 'yargs';
import { runWithExitCode } from '../run-with-exit-code.js';

/** Options every schedule command shares: which scheduler. */
export interface ScheduleArgs {
  scheduler: 'auto' | 'systemd' | 'cron';
  crontab?: string;
  unitDir?: string;
  json: boolean;
}

/** `schedule install` / `remove`: the plan (or entry name). */
export interface SchedulePlanArgs extends ScheduleArgs {
  plan: string;
  reports: string;
}

/** `schedule list`. */
export interface ScheduleListArgs extends ScheduleArgs {
  count: number;
}

/** `schedule fire`. */
export interface ScheduleFireArgs {
  plan: string;
  reports: string;
  history?: string;
}

function withScheduler<T>(yargs: Argv<T>): Argv<T & ScheduleArgs> {
  return yargs
    .option('scheduler', { choices: ['auto', 'systemd', 'cron'] as const, default: 'auto' as const, describe: 'auto = systemd timers when systemd is the running init, else the crontab' })
    .option('crontab', { type: 'string', describe: 'A crontab file to edit instead of the user’s crontab (or $FAULTLINE_CRONTAB); implies cron' })
    .option('unit-dir', { type: 'string', describe: 'Folder for the systemd units (default /etc/systemd/system as root, ~/.config/systemd/user otherwise); given, systemctl is not called' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as never;
}

const installCommand: CommandModule<object, SchedulePlanArgs> = {
  command: 'install <plan>',
  describe: 'Install a game-day plan’s schedule into the host’s scheduler (systemd timer, or crontab without systemd)',
  builder: (yargs) => withScheduler(yargs.positional('plan', { type: 'string', demandOption: true, describe: 'The plan file (gameday.yaml) with a `schedule`' })
    .option('reports', { type: 'string', default: 'reports', describe: 'Where the scheduled runs write their folders' })) as never,
  handler: async (args) => {
    const { runScheduleInstall } = await import('../schedule-action.js');
    await runWithExitCode(() => runScheduleInstall(args));
  },
};

const listCommand: CommandModule<object, ScheduleListArgs> = {
  command: 'list',
  describe: 'List installed plans with their next run times',
  builder: (yargs) => withScheduler(yargs.option('count', { type: 'number', default: 3, describe: 'Next run times to show per plan' })) as never,
  handler: async (args) => {
    const { runScheduleList } = await import('../schedule-action.js');
    await runWithExitCode(() => runScheduleList(args));
  },
};

const removeCommand: CommandModule<object, SchedulePlanArgs> = {
  command: 'remove <plan>',
  describe: 'Remove a plan’s schedule (by plan file or entry name)',
  builder: (yargs) => withScheduler(yargs.positional('plan', { type: 'string', demandOption: true, describe: 'The plan file, or the entry name `schedule list` shows' })) as never,
  handler: async (args) => {
    const { runScheduleRemove } = await import('../schedule-action.js');
    await runWithExitCode(() => runScheduleRemove(args));
  },
};

const fireCommand: CommandModule<object, ScheduleFireArgs> = {
  command: 'fire <plan>',
  describe: 'What the scheduler runs: check the allowed window and concurrency, wait the random delay, run the plan (a skip is recorded)',
  builder: (yargs) => yargs
    .positional('plan', { type: 'string', demandOption: true, describe: 'The plan file' })
    .option('reports', { type: 'string', default: 'reports', describe: 'Where the run (or the skip) is recorded' })
    .option('history', { type: 'string', describe: 'The history store (default <reports>/history.db)' }) as never,
  handler: async (args) => {
    const { runScheduleFire } = await import('../schedule-action.js');
    await runWithExitCode(() => runScheduleFire(args));
  },
};

export const scheduleCommand: CommandModule = {
  command: 'schedule <command>',
  describe: 'Schedule game-day plans with the host’s scheduler (systemd timers or cron; no daemon of faultline’s own)',
  builder: (yargs) => yargs.command(installCommand).command(listCommand).command(removeCommand).command(fireCommand).demandCommand(1, 'Name a subcommand: install | list | remove | fire.'),
  handler: () => undefined,
};
