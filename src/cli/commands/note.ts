// `faultline note "text"`: a timestamped note in the live run's journal (shown on the dashboard and in the report).
import type { CommandModule } from 'yargs';
import { InputError } from '../../errors.js';
import { sanitizeForTerminal as clean } from '../../util/terminal-text.js';
import { describeOperator } from './gameday.js';

export const noteCommand: CommandModule<object, { text: string[]; author?: string; run?: string }> = {
  command: 'note <text..>',
  describe: 'Add a timestamped note to the live run’s journal (dashboard and report show it)',
  builder: (yargs) =>
    yargs
      .positional('text', { type: 'string', array: true, demandOption: true })
      .option('author', { type: 'string', describe: 'Who writes it (default: $SUDO_USER or $USER)' })
      .option('run', { type: 'string', describe: 'The run id (when several runs are live)' }) as never,
  handler: async (args) => {
    const text = args.text.join(' ').trim();
    if (!text) throw new InputError('a note needs text', { hint: 'faultline note "what you saw"' });
    if (text.length > 2000) throw new InputError(`a note holds at most 2000 characters; got ${text.length}`);
    const { selectLiveRun, sendRunCommand } = await import('../../run/control/live-runs.js');
    const run = selectLiveRun(args.run);
    sendRunCommand(run, { type: 'note', text, author: args.author ?? describeOperator(), at: Date.now() });
    process.stdout.write(`note added to ${run.runId}${run.title ? ` (${clean(run.title)})` : ''}\n`);
  },
};
