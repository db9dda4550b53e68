// Canary: a command writes each item (FAULTLINE_CANARY_TOKEN in its environment); another reads them back.
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import { defineCanary } from './types.js';
import { defineCanaryParams } from './params.js';
import { prepareTargetCommand } from '../targets/target-command.js';

const argv = (what: string) => Type.Array(Type.String(), { minItems: 1, description: `${what} (no shell; use ["sh", "-c", "…"] for one).` });

export default defineCanary({
  type: 'command',
  summary: 'runs `write` once per item and `read` once at the end; items missing from read’s output are lost',
  params: defineCanaryParams('command', {
    write: argv('Program and arguments that store one item; the token is in $FAULTLINE_CANARY_TOKEN. Exit 0 = accepted'),
    read: argv('Program and arguments that print the stored items. Exit 0 = read; any other exit means the items could not be read (the data loss is unknown, and a run that recovered becomes an error), so for "a missing store means every item is lost" exit 0 with no output'),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000, default: 5_000, description: 'Kill a command after this long (a write then counts as not accepted).' })),
  }, 'Items written through a command are not lost.'),
  create(params, { target }) {
    const run = (command: string[], token?: string) => {
      // As the target's uid, or on a PATH only root can change: never a program the target planted, as root.
      const { file, args, env, ...identity } = prepareTargetCommand(target, command, { FAULTLINE_TARGET_HOME: target.home, ...(token ? { FAULTLINE_CANARY_TOKEN: token } : {}) });
      return execa(file, args, {
        cwd: target.home,
        env,
        ...identity,
        reject: false,
        stdin: 'ignore',
        timeout: params.timeoutMs ?? 5_000,
      });
    };
    return {
      async send(token) {
        const result = await run(params.write, token);
        return result.exitCode === 0 ? { accepted: true } : { accepted: false, detail: result.timedOut ? 'timed out' : `exit ${result.exitCode ?? result.signal}` };
      },
      async collect() {
        const result = await run(params.read);
        if (result.exitCode !== 0) {
          const why = result.timedOut ? 'timed out' : `exited ${result.exitCode ?? result.signal}`;
          throw new Error(`read command ${why}${result.stderr ? `: ${String(result.stderr).trim().slice(0, 200)}` : ''}`);
        }
        return String(result.stdout ?? '');
      },
    };
  },
});
