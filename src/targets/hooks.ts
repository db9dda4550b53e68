// Lifecycle hooks of a target faultline did not start: setup, reset and teardown commands (argument
// arrays, no shell), bounded in time, their output kept for the journal.
import { execa } from 'execa';
import { TargetError } from '../errors.js';
import { monotonicMs, roundMs } from '../util/clock.js';
import type { TargetLogEvent } from './drivers/types.js';
import type { TargetHook } from './types.js';

/** Most output of one hook kept for the journal (the tail, where errors are). */
const MAX_OUTPUT_CHARS = 16_000;

/** Runs one hook in the target's home with its env; resolves with what happened (never throws on a failing command). */
export async function runTargetHook(name: TargetLogEvent['hook'], hook: TargetHook, options: { cwd: string; env: Readonly<Record<string, string>> }): Promise<TargetLogEvent> {
  const start = monotonicMs();
  const [file, ...args] = hook.command;
  const result = await execa(file!, args, {
    cwd: options.cwd,
    env: { ...options.env },
    extendEnv: false,
    stdin: 'ignore',
    all: true,
    reject: false,
    timeout: hook.timeoutMs,
    forceKillAfterDelay: 2_000,
  });
  // A program that could not be started at all (ENOENT, EACCES) has no output of its own: execa says why.
  const output = String(result.all ?? '') || (result.exitCode === undefined && !result.timedOut ? String(result.shortMessage ?? '') : '');
  return {
    hook: name,
    command: hook.command,
    exitCode: result.exitCode ?? null,
    ms: roundMs(monotonicMs() - start),
    output: output.length > MAX_OUTPUT_CHARS ? `…${output.slice(-MAX_OUTPUT_CHARS)}` : output,
    timedOut: Boolean(result.timedOut),
  };
}

/** Runs a hook and throws TargetError (exit 3) when it failed or timed out, after logging it either way. */
export async function runRequiredHook(name: TargetLogEvent['hook'], hook: TargetHook, options: { cwd: string; env: Readonly<Record<string, string>>; target: string; log?: (event: TargetLogEvent) => void }): Promise<TargetLogEvent> {
  const event = await runTargetHook(name, hook, options);
  options.log?.(event);
  if (event.timedOut || event.exitCode !== 0) {
    const why = event.timedOut ? `timed out after ${hook.timeoutMs} ms` : event.exitCode === null ? 'could not be started or was killed by a signal' : `exited with ${event.exitCode}`;
    const tail = event.output.trim().split('\n').slice(-3).join(' | ');
    throw new TargetError(`the ${name} hook of target ${options.target} (${hook.command.join(' ')}) ${why}${tail ? `: ${tail}` : ''}`, {
      hint: `run it by hand to see why, or fix hooks.${name} in the target file`,
    });
  }
  return event;
}
