// The exit code of a command whose handler returns one: known errors keep theirs (2 for unreadable
// input) and go on to the CLI's one error boundary, which prints them.
import { ExitCode, FaultlineError } from '../errors.js';

/** Runs `run`, sets process.exitCode from its result or from the error it throws, and rethrows. */
export async function runWithExitCode(run: () => number | Promise<number>): Promise<void> {
  try {
    process.exitCode = await run();
  } catch (error) {
    process.exitCode = error instanceof FaultlineError ? error.exitCode : ExitCode.aborted;
    throw error;
  }
}
