// The restart hook of config faults: a signal to a process the target declares (its supervisor's SIGHUP,
// a service's SIGTERM), so a changed config takes effect at once — the deploy that ships it. Selected
// like every process fault (the target's own processes only, re-checked by start time before the signal).
import { Type } from '@sinclair/typebox';
import { selectProcesses } from './process-select.js';
import { checkSignal, killSignals, signalIfSameProcess } from './signals.js';
import type { Target } from '../targets/types.js';

/** Params of the hook: which declared process, and which signal (SIGHUP by default). */
export const restartHookParam = Type.Optional(Type.Object({
  process: Type.String({ minLength: 1, description: 'A process the target declares (`processes[].name`), e.g. the web stack’s supervisor.' }),
  signal: Type.Optional(Type.Union(killSignals.map((signal) => Type.Literal(signal)), { default: 'SIGHUP', description: 'What restarts it (the web stack’s supervisor restarts the API on SIGHUP).' })),
}, { additionalProperties: false, description: 'After changing the file (and after restoring it on rollback), signal this process so the change takes effect; without it, at the next start.' }));

/** The hook as a fault receives it. */
export type RestartHook = { process: string; signal?: string };

/** "SIGHUP to declared process supervisor" for plans. */
export function describeRestartHook(hook: RestartHook | undefined): string | undefined {
  return hook ? `then send ${checkSignal(hook.signal ?? 'SIGHUP', 'fault.restart.signal')} to declared process ${hook.process} (the change takes effect now)` : undefined;
}

/** Signals the hook's process now; returns what was done, or throws GuardError when the process is not the target's or not running. */
export async function runRestartHook(target: Target, hook: RestartHook): Promise<string> {
  const signal = checkSignal(hook.signal ?? 'SIGHUP', 'fault.restart.signal');
  const [selected] = await selectProcesses({ process: hook.process }, target);
  if (!selected || !signalIfSameProcess(selected.pid, selected.startTime, signal)) throw new Error(`restart hook: declared process ${hook.process} exited before ${signal} reached it`);
  return `${signal} sent to ${hook.process} (pid ${selected.pid})`;
}
