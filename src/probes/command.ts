// Probe: a command (argument array, no shell) exits with the expected code and output.
import { Type } from '@sinclair/typebox';
import { execa } from 'execa';
import { defineProbe } from './types.js';
import { defineProbeParams } from './params.js';
import { prepareTargetCommand } from '../targets/target-command.js';

export default defineProbe({
  type: 'command',
  summary: 'runs a command in the target home; passes on the expected exit code (and stdout match)',
  params: defineProbeParams('command', {
    run: Type.Array(Type.String(), { minItems: 1, description: 'Program and arguments (no shell; use ["sh", "-c", "…"] for one). Runs as the target’s uid when it has one; otherwise on a PATH of directories only root (or faultline’s user) can write.' }),
    exitCode: Type.Optional(Type.Integer({ minimum: 0, maximum: 255, default: 0, description: 'Expected exit code.' })),
    stdoutMatches: Type.Optional(Type.String({ description: 'Regular expression stdout must match.' })),
    timeoutMs: Type.Optional(Type.Integer({ minimum: 10, maximum: 60_000, default: 5_000, description: 'Kill the command after this long (counts as failed).' })),
  }, 'A command succeeds.'),
  defaultIntervalMs: 200,
  create(params, { target }) {
    const pattern = params.stdoutMatches === undefined ? undefined : new RegExp(params.stdoutMatches, 'm');
    return {
      async check() {
        // As the target's uid, or on a PATH only root can change: never a program the target planted, as root.
        const { file, args, env, ...identity } = prepareTargetCommand(target, params.run, { FAULTLINE_TARGET_HOME: target.home });
        const result = await execa(file, args, {
          cwd: target.home,
          env,
          ...identity,
          reject: false,
          stdin: 'ignore',
          timeout: params.timeoutMs ?? 5_000,
        });
        if (result.timedOut) return { ok: false, detail: `timed out after ${params.timeoutMs ?? 5_000} ms` };
        const expected = params.exitCode ?? 0;
        if (result.exitCode !== expected) return { ok: false, detail: `exit ${result.exitCode ?? result.signal}, expected ${expected}` };
        if (pattern && !pattern.test(String(result.stdout))) return { ok: false, detail: `stdout does not match /${params.stdoutMatches}/` };
        return { ok: true };
      },
    };
  },
});
