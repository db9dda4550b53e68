// `faultline halt`: the host's emergency stop. Yargs wiring and the waiting; the switch is run/control.
import type { CommandModule } from 'yargs';
import { ExitCode } from '../../errors.js';
import { sanitizeForTerminal as clean } from '../../util/terminal-text.js';
import { describeOperator } from './gameday.js';

interface HaltArgs {
  clear: boolean;
  reason?: string;
  by?: string;
  waitMs: number;
  json: boolean;
}

export const haltCommand: CommandModule<object, HaltArgs> = {
  command: 'halt',
  describe: 'Emergency stop: every live run on this host rolls back, journals the halt and exits 3; new runs are refused until `faultline halt --clear`',
  builder: (yargs) =>
    yargs
      .option('clear', { type: 'boolean', default: false, describe: 'Lift the halt: runs may start again' })
      .option('reason', { type: 'string', describe: 'Why (journalled by every run it stops)' })
      .option('by', { type: 'string', describe: 'Who halts (default: $SUDO_USER or $USER)' })
      .option('wait-ms', { type: 'number', default: 120_000, describe: 'How long to wait for the live runs to finish rolling back' })
      .option('json', { type: 'boolean', default: false }) as never,
  handler: async (args) => {
    const [{ clearHalt, setHalt }, { listLiveRuns }] = await Promise.all([import('../../run/control/halt-switch.js'), import('../../run/control/live-runs.js')]);
    if (args.clear) {
      const lifted = clearHalt();
      process.stdout.write(args.json ? `${JSON.stringify({ cleared: lifted ?? null })}\n` : lifted ? `halt lifted (set ${lifted.at} by ${clean(lifted.by)}): runs may start again\n` : 'no halt was in force\n');
      return;
    }
    const halt = setHalt({ by: args.by ?? describeOperator(), reason: args.reason ?? 'emergency stop (`faultline halt`)' });
    const live = listLiveRuns();
    if (!args.json) process.stdout.write(`halted: new runs are refused until \`faultline halt --clear\`; ${live.length} live run(s) told to stop${live.map((run) => `\n  ${run.runId} (${run.kind}${run.title ? `: ${clean(run.title)}` : ''}, pid ${run.pid})`).join('')}\n`);
    // Each run sees the switch within 200 ms, rolls back and removes its registration when done.
    const deadline = Date.now() + args.waitMs;
    let left = live;
    while (left.length > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const still = new Set(listLiveRuns().map((run) => run.runId));
      for (const run of left) if (!still.has(run.runId) && !args.json) process.stdout.write(`  ✓ ${run.runId} stopped\n`);
      left = left.filter((run) => still.has(run.runId));
    }
    if (args.json) process.stdout.write(`${JSON.stringify({ halt, stopped: live.filter((run) => !left.includes(run)).map((run) => run.runId), stillRunning: left.map((run) => run.runId) })}\n`);
    if (left.length > 0) {
      if (!args.json) process.stdout.write(`still rolling back after ${args.waitMs} ms: ${left.map((run) => run.runId).join(', ')} (they stop on their own; \`faultline recover\` if one died)\n`);
      process.exitCode = ExitCode.aborted;
    }
  },
};
