// `faultline agent --stdio`: yargs wiring only; the agent (src/agent/) is imported when it runs.
import type { CommandModule } from 'yargs';
import { InputError } from '../../errors.js';

/** Options of `faultline agent` as parsed. */
export interface AgentArgs {
  stdio: boolean;
  stateDir?: string;
  deadmanMs?: number;
}

export const agentCommand: CommandModule<object, AgentArgs> = {
  command: 'agent',
  describe: 'Serve a fleet controller over stdin/stdout (started by the controller through ssh); rolls this host back by itself when the controller goes away',
  builder: (yargs) =>
    yargs
      .option('stdio', { type: 'boolean', default: false, describe: 'Speak the agent protocol on stdin/stdout (the only transport)' })
      .option('state-dir', { type: 'string', describe: 'This host’s ledger and agent records (default $FAULTLINE_STATE_DIR or ./.faultline)' })
      .option('deadman-ms', { type: 'number', describe: 'Roll back when the controller is silent this long, until its hello sets its own (default 10000)' }) as never,
  handler: async (args) => {
    if (!args.stdio) throw new InputError('faultline agent needs --stdio: it speaks to its controller over stdin/stdout', { hint: 'the controller starts it as `faultline agent --stdio` over ssh; there is nothing to run by hand' });
    if (args.deadmanMs !== undefined && !(Number.isFinite(args.deadmanMs) && args.deadmanMs >= 500 && args.deadmanMs <= 600_000)) throw new InputError(`--deadman-ms: expected 500–600000; got ${args.deadmanMs}`);
    const [{ serveAgent }, { getStateDir }] = await Promise.all([import('../../agent/agent-server.js'), import('../../run/ledger.js')]);
    const { resolve } = await import('node:path');
    const stateDir = args.stateDir ? resolve(args.stateDir) : getStateDir();
    // A hang-up is the controller going away too: the agent rolls back instead of dying with the fault in effect.
    const ignore = () => {};
    for (const signal of ['SIGHUP', 'SIGPIPE'] as const) process.on(signal, ignore);
    // Told to stop: roll back first, then exit (a second signal is not needed and not waited for).
    const stop = new AbortController();
    for (const signal of ['SIGTERM', 'SIGINT'] as const) process.on(signal, () => stop.abort(signal));
    const outcome = await serveAgent({ input: process.stdin, output: process.stdout, stateDir, stop: stop.signal, ...(args.deadmanMs !== undefined ? { deadmanMs: args.deadmanMs } : {}), log: (line) => process.stderr.write(`${line}\n`) });
    // Done with this controller: exit once stdout is flushed, whatever handles a target or probe left open.
    const code = outcome.reason === 'bye' ? 0 : 3;
    process.stdout.write('', () => process.exit(code));
  },
};
