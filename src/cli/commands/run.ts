// `faultline run`: yargs wiring only; the work is imported when the command runs.
import type { CommandModule } from 'yargs';

/** Options of `faultline run` as parsed. */
export interface RunArgs {
  paths: string[];
  tag?: string[];
  heal: 'on' | 'off';
  healDelayMs?: number;
  guardrails: 'on' | 'off';
  gate: boolean;
  reports: string;
  targetDir?: string;
  recover: boolean;
  json: boolean;
  quiet: boolean;
  dryRun: boolean;
  preparedBy?: string;
  reviewer?: string;
  maxInputBytes?: number;
  history?: string;
  baseline?: number;
  baselineMargin: number;
  metrics?: string;
}

export const runCommand: CommandModule<object, RunArgs> = {
  command: 'run [paths..]',
  describe: 'Run scenarios: steady state → inject → measure TTD/RTO → roll back → report',
  builder: (yargs) =>
    yargs
      .positional('paths', { type: 'string', array: true, default: ['scenarios'], describe: 'Scenario files or folders' })
      .option('tag', { type: 'string', array: true, describe: 'Only scenarios with one of these tags' })
      .option('heal', { choices: ['on', 'off'] as const, default: 'on' as const, describe: "Reference orchestrator's healer (off = no recovery, like upstream)" })
      .option('guardrails', { choices: ['on', 'off'] as const, default: 'on' as const, describe: "The web stack's guardrails (off = the web-app failure matrix's current system, on = its proposed one)" })
      .option('heal-delay-ms', { type: 'number', describe: 'Known delay before the reference healer acts' })
      .option('gate', { type: 'boolean', default: false, describe: 'Exit 1 when an expectation is not met (CI resilience gate)' })
      .option('reports', { type: 'string', default: 'reports', describe: 'Where run folders are written' })
      .option('target-dir', { type: 'string', describe: 'Use a reference orchestrator already started with `faultline target up`' })
      .option('recover', { type: 'boolean', default: false, describe: 'Undo faults an earlier run left open before starting' })
      .option('json', { type: 'boolean', default: false, describe: 'Print summary.json to stdout instead of the table' })
      .option('prepared-by', { type: 'string', describe: 'Name for the report’s sign-off block (prepared by)' })
      .option('reviewer', { type: 'string', describe: 'Name for the report’s sign-off block (reviewed by)' })
      .option('quiet', { alias: 'q', type: 'boolean', default: false, describe: 'No progress lines on stderr' })
      .option('history', { type: 'string', describe: 'History store the run is indexed in and compared with (default <reports>/history.db; "off" for none)' })
      .option('baseline', { type: 'number', describe: 'Compare each scenario with the median RTO p95 of its last N runs (same configuration); with --gate a regression exits 1' })
      .option('baseline-margin', { type: 'number', default: 50, describe: 'Percent over the baseline median (plus the figure’s resolution) still accepted' })
      .option('metrics', { type: 'string', describe: 'Also write OpenMetrics text (per scenario: recovered, TTD, RTO, data lost, verdict) to this file, e.g. for node_exporter’s textfile collector' })
      .option('max-input-bytes', { type: 'number', describe: 'Largest scenario file read (default 1 MiB, or FAULTLINE_MAX_INPUT_BYTES)' })
      .option('dry-run', {
        type: 'boolean',
        default: false,
        describe:
          'Print the plan (what each fault would touch, with which guards) and exit: starts no target and touches nothing. ' +
          'Reference paths are shown in a placeholder dir (or the --target-dir instance); faults whose plan reads live state ' +
          '(disk, resource) are planned on a throwaway instance, stopped again. Exit 2 if a guard refuses',
      })
      .example('$0 run scenarios/ --gate', 'CI gate over every scenario')
      .example('$0 run scenarios/ --gate --baseline 5', 'also fail when a scenario got slower than its last 5 runs')
      .example('$0 run scenarios/ --tag default', 'the default game day')
      .example('$0 run scenarios/ --heal off', 'see what happens without automated recovery')
      .example('$0 run scenarios/webstack --guardrails off', 'the web stack without its guardrails')
      .example('$0 run scenarios/ --dry-run', 'what each fault would touch, with which guards; nothing runs') as never,
  handler: async (args) => {
    const { runAction } = await import('../run-action.js');
    process.exitCode = await runAction(args);
  },
};
