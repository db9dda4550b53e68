// `faultline report`: yargs wiring only; rendering (and vega) is imported when the command runs.
import type { CommandModule } from 'yargs';

/** Options of `faultline report` as parsed. */
export interface ReportArgs {
  'run-dirs': string[];
  out?: string;
  worksheet?: string[];
  claims?: string[];
  fmeaConfig?: string;
  preparedBy?: string;
  reviewer?: string;
  pdf?: string;
}

export const reportCommand: CommandModule<object, ReportArgs> = {
  command: 'report <run-dirs..>',
  describe: 'Re-render the report (HTML, JUnit, Markdown, JSON) from run folders; several runs add an RTO trend',
  builder: (yargs) =>
    yargs
      .positional('run-dirs', { type: 'string', array: true, demandOption: true, default: undefined, describe: 'Run folders written by `faultline run` (reports/<run-id>)' })
      .option('out', { type: 'string', describe: 'Folder to write into (default: the newest run’s folder)' })
      .option('worksheet', { type: 'string', array: true, describe: 'FMEA worksheet files (default: worksheet.yaml beside the scenarios)' })
      .option('claims', { type: 'string', array: true, describe: 'Claims files (default: claims.yaml beside the scenarios)' })
      .option('fmea-config', { type: 'string', describe: 'FMEA settings file: risk bands and evidence rules' })
      .option('prepared-by', { type: 'string', describe: 'Name for the sign-off block (prepared by); default: the one given to `run`' })
      .option('reviewer', { type: 'string', describe: 'Name for the sign-off block (reviewed by); default: the one given to `run`' })
      .option('pdf', { type: 'string', describe: 'Also print the report to PDF through the system Chromium (default file: report.pdf beside index.html)' })
      .example('$0 report reports/latest --pdf', 'the newest run as reports/latest/report.pdf')
      .example('$0 report reports/latest --out /tmp/report', 'render the newest run again')
      .example('$0 report reports/2026* --out trend/', 'one report with the trend of RTO p95 across runs') as never,
  handler: async (args) => {
    const { runReportCommand } = await import('../../report/render-runs.js');
    process.exitCode = await runReportCommand({
      // The dashed key: with `default: undefined` (no bogus "[default: []]" in help) yargs' camelCase copy
      // of a variadic positional starts with that undefined ([undefined, ...dirs]).
      runDirs: args['run-dirs'],
      ...(args.out ? { out: args.out } : {}),
      ...(args.worksheet?.length ? { worksheets: args.worksheet } : {}),
      ...(args.claims?.length ? { claims: args.claims } : {}),
      ...(args.fmeaConfig ? { fmeaConfig: args.fmeaConfig } : {}),
      ...(args.pdf !== undefined ? { pdf: args.pdf } : {}),
      ...(args.preparedBy || args.reviewer ? { signOff: { ...(args.preparedBy ? { preparedBy: args.preparedBy } : {}), ...(args.reviewer ? { reviewer: args.reviewer } : {}) } } : {}),
    });
  },
};
