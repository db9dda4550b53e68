// `faultline recover`: yargs wiring only.
import type { CommandModule } from 'yargs';
import { sanitizeForTerminal } from '../../util/terminal-text.js';

export const recoverCommand: CommandModule<object, { json: boolean; force: boolean }> = {
  command: 'recover',
  describe: 'Undo every fault an interrupted or crashed run left in effect (from the ledger); targets a live run holds are left to it',
  builder: (yargs) =>
    yargs
      .option('json', { type: 'boolean', default: false, describe: 'Machine-readable output' })
      .option('force', {
        type: 'boolean',
        default: false,
        describe:
          'Also undo intents whose recorded process is alive but no longer holds their target (a recycled pid). ' +
          'A target a live run holds is never touched, with or without --force: that run rolls back by itself',
      }) as never,
  handler: async (args) => {
    const [{ Ledger }, { recoverIntents }] = await Promise.all([import('../../run/ledger.js'), import('../../run/recover.js')]);
    const ledger = new Ledger();
    const report = await recoverIntents(ledger, { force: args.force });
    // Hosts of fleet runs that may still hold open intents: each host's agent recovers its own ledger.
    const { recoverFleetHosts } = await import('../../fleet/recover-fleet.js');
    const { dirname } = await import('node:path');
    const fleet = await recoverFleetHosts(dirname(ledger.dir));
    if (fleet.lines.length > 0) {
      report.lines = [...report.lines.filter((line) => !line.startsWith('nothing to recover')), ...fleet.lines];
      report.recovered += fleet.recovered;
      report.failed += fleet.failed;
      report.skipped += fleet.skipped;
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ ledger: ledger.dir, ...report }, null, 2)}\n`);
    else for (const line of report.lines) process.stdout.write(`${sanitizeForTerminal(line)}\n`);
    process.exitCode = report.failed > 0 ? 4 : 0;
  },
};
