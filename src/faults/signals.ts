// The signals process faults may send: a closed list, so a typo is refused instead of sent.
import { Type } from '@sinclair/typebox';
import { GuardError } from '../errors.js';
import { isSameProcessAlive } from './proc-table.js';

/** Signals process.kill and tmux.kill-pane-process accept (SIGSTOP/SIGCONT belong to process.stop). */
export const killSignals = ['SIGKILL', 'SIGTERM', 'SIGINT', 'SIGHUP', 'SIGQUIT', 'SIGABRT', 'SIGUSR1', 'SIGUSR2'] as const;
export type KillSignal = (typeof killSignals)[number];

/** The params schema of a `signal` field. */
export function defineSignalParam(description: string) {
  return Type.Optional(Type.Union(killSignals.map((signal) => Type.Literal(signal)), { default: 'SIGKILL', description }));
}

/** Refuses a signal outside the list (the schema already does; this guards API callers too). */
export function checkSignal(signal: string | undefined, field = 'fault.signal'): KillSignal {
  const value = signal ?? 'SIGKILL';
  if (!(killSignals as readonly string[]).includes(value)) {
    throw new GuardError(`${field}: unknown signal ${JSON.stringify(value)}; expected one of ${killSignals.join(', ')}`);
  }
  return value as KillSignal;
}

/** Sends `signal` only if `pid` is still the process that started at `startTime`; true when sent. */
export function signalIfSameProcess(pid: number, startTime: number, signal: NodeJS.Signals): boolean {
  if (!isSameProcessAlive(pid, startTime)) return false;
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}
