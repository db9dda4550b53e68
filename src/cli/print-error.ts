// Prints errors: known ones briefly with their problems and hint, unknown ones with their stack.
import { FaultlineError, InputError } from '../errors.js';
import { paint } from './paint.js';
import { sanitizeForTerminal } from '../util/terminal-text.js';

/** Writes an error to stderr the way a user can act on it. */
export function printError(error: unknown): void {
  if (error instanceof FaultlineError) {
    process.stderr.write(`${paint.red('error')} ${sanitizeForTerminal(error.message)}\n`);
    if (error instanceof InputError) for (const problem of error.problems) process.stderr.write(`  ${sanitizeForTerminal(problem)}\n`);
    if (error.hint) process.stderr.write(`${paint.dim(`hint: ${sanitizeForTerminal(error.hint)}`)}\n`);
    return;
  }
  process.stderr.write(`${paint.red('unexpected error')} ${sanitizeForTerminal(error instanceof Error ? (error.stack ?? error.message) : String(error), { multiline: true })}\n`);
  process.stderr.write(`${paint.dim('hint: this is a bug in faultline; if a fault was in effect, run `faultline recover`')}\n`);
}
