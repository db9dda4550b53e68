// Error classes with stable codes and exit codes; the CLI is the only place that prints them.

/** faultline's exit codes (the README's table). */
export const ExitCode = {
  ok: 0,
  gateFailed: 1,
  invalidInput: 2,
  aborted: 3,
  rollbackFailed: 4,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

// Base class: a known error prints as one line plus an optional hint, never a stack.
export class FaultlineError extends Error {
  readonly code: string;
  readonly exitCode: ExitCode;
  readonly hint: string | undefined;

  constructor(code: string, message: string, options: { exitCode?: ExitCode; hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.exitCode = options.exitCode ?? ExitCode.invalidInput;
    this.hint = options.hint;
  }
}

// Bad input from the user (scenario, params, flags): exit 2, nothing was changed.
export class InputError extends FaultlineError {
  readonly problems: string[];
  constructor(message: string, options: { hint?: string; problems?: string[]; cause?: unknown } = {}) {
    super('E_INPUT', message, { ...options, exitCode: ExitCode.invalidInput });
    this.problems = options.problems ?? [];
  }
}

// A safety guard refused an action before anything was touched: exit 2.
export class GuardError extends FaultlineError {
  /** The refusal holds whatever state the target is in (a path outside its roots): no live instance can change it. */
  readonly final: boolean;
  constructor(message: string, options: { hint?: string; cause?: unknown; final?: boolean } = {}) {
    super('E_GUARD', message, { ...options, exitCode: ExitCode.invalidInput });
    this.final = options.final ?? false;
  }
}

// The run stopped on purpose: steady state not met, interrupted, open intents: exit 3.
export class AbortError extends FaultlineError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_ABORTED', message, { ...options, exitCode: ExitCode.aborted });
  }
}

// A rollback could not be verified; the system may still be changed: exit 4.
export class RollbackError extends FaultlineError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_ROLLBACK', message, {
      ...options,
      exitCode: ExitCode.rollbackFailed,
      hint: options.hint ?? 'run `faultline recover` to undo what is left',
    });
  }
}

// Another faultline process holds the target (one run per target): exit 2, nothing was changed.
export class TargetBusyError extends FaultlineError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_TARGET_BUSY', message, { ...options, exitCode: ExitCode.invalidInput });
  }
}

// The target is not reachable or not in a state faultline can work with.
export class TargetError extends FaultlineError {
  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super('E_TARGET', message, { ...options, exitCode: ExitCode.aborted });
  }
}

/** Returns the message of any thrown value. */
export function getErrorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
