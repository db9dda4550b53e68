// `faultline gameday run|validate|continue`: yargs wiring only; the work is imported when a command runs.
import type { Argv, CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import { sanitizeForTerminal } from '../../util/terminal-text.js';
import type { GameDayRunArgs } from '../gameday-action.js';

// Who pressed a button or typed a command: the person behind sudo, else the user.
export const describeOperator = () => process.env.SUDO_USER || process.env.USER || `uid ${process.getuid?.() ?? '?'}`;

const runCommand: CommandModule<object, GameDayRunArgs> = {
  command: 'run <plan>',
  describe: 'Run a game-day plan: its steps in order, a live dashboard on 127.0.0.1, a game-day report at the end',
  builder: (yargs) =>
    yargs
      .positional('plan', { type: 'string', demandOption: true, describe: 'The plan (gameday.yaml)' })
      .option('dashboard', { type: 'boolean', default: true, describe: 'Serve the live dashboard (--no-dashboard: terminal only)' })
      .option('port', { type: 'number', default: 0, describe: 'Dashboard port on 127.0.0.1 (0: any free port; printed)' })
      .option('heal', { choices: ['on', 'off'] as const, default: 'on' as const, describe: "Reference orchestrator's healer" })
      .option('heal-delay-ms', { type: 'number', describe: 'Known delay before the reference healer acts' })
      .option('gate', { type: 'boolean', default: true, describe: 'Exit 1 when an expectation is not met (--no-gate: report only)' })
      .option('reports', { type: 'string', default: 'reports', describe: 'Where run folders are written' })
      .option('target-dir', { type: 'string', describe: 'Use a reference orchestrator already started with `faultline target up`' })
      .option('history', { type: 'string', describe: 'History store the game day is indexed in (default <reports>/history.db; "off" for none)' })
      .option('ignore-window', { type: 'boolean', default: false, describe: 'Run even outside the plan’s allowed window' })
      .option('json', { type: 'boolean', default: false, describe: 'Print the game-day report as JSON' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress lines on stderr (the dashboard address is not printed either)' })
      .option('max-input-bytes', { type: 'number', describe: 'Largest plan or scenario file read (default 1 MiB)' })
      .example('$0 gameday run scenarios/tmux-orchestrator/gameday.yaml', 'the default game day on the reference orchestrator') as never,
  handler: async (args) => {
    const { runGameDayAction } = await import('../gameday-action.js');
    process.exitCode = await runGameDayAction(args);
  },
};

const validateCommand: CommandModule<object, { plan: string; json: boolean }> = {
  command: 'validate <plan>',
  describe: 'Check a plan and every scenario it runs, without touching anything',
  builder: (yargs) => yargs.positional('plan', { type: 'string', demandOption: true }).option('json', { type: 'boolean', default: false }) as never,
  handler: async (args) => {
    const [{ inspectPlan }, { formatProblem }] = await Promise.all([import('../../gameday/load-plan.js'), import('../../validate/problem.js')]);
    const { loaded, problems } = await inspectPlan(args.plan);
    if (args.json) process.stdout.write(`${JSON.stringify({ ok: problems.length === 0, problems, steps: loaded?.steps.length ?? 0, scenarios: loaded?.scenarios.map((scenario) => scenario.id) ?? [] }, null, 2)}\n`);
    else if (loaded) process.stdout.write(`✓ ${sanitizeForTerminal(loaded.plan.title)}: ${loaded.steps.length} steps, ${loaded.scenarios.length} scenarios, ${loaded.plan.hypotheses.length} hypotheses are valid\n`);
    else process.stdout.write(`${problems.map((problem) => sanitizeForTerminal(formatProblem(problem))).join('\n')}\n✗ ${problems.length} problem(s)\n`);
    if (problems.length > 0) process.exitCode = ExitCode.invalidInput;
  },
};

const continueCommand: CommandModule<object, { run?: string; by?: string }> = {
  command: 'continue',
  describe: 'Complete the manual step the live game day waits for',
  builder: (yargs) => yargs.option('run', { type: 'string', describe: 'The run id (when several runs are live)' }).option('by', { type: 'string', describe: 'Who completed the step (default: $SUDO_USER or $USER)' }) as never,
  handler: async (args) => {
    const { selectLiveRun, sendRunCommand } = await import('../../run/control/live-runs.js');
    const run = selectLiveRun(args.run);
    sendRunCommand(run, { type: 'continue', by: args.by ?? describeOperator(), at: Date.now() });
    process.stdout.write(`continue sent to ${run.runId}${run.title ? ` (${sanitizeForTerminal(run.title)})` : ''}\n`);
  },
};

export const gamedayCommand: CommandModule = {
  command: 'gameday <command>',
  describe: 'Game days: run a plan (dashboard, manual steps, stop conditions), validate one, continue a manual step',
  builder: (yargs: Argv) => yargs.command(runCommand).command(validateCommand).command(continueCommand).demandCommand(1, 'Name one: faultline gameday run | validate | continue'),
  handler: () => {},
};
