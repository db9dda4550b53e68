// What a plan can refuse about a process fault before anything is reached (exit 2): a pattern that
// would match every process, faultline itself or init, and a pidfile that names init, faultline or
// one of its ancestors. The live re-check at prepare stays; this only moves the obvious refusals earlier.
import { GuardError } from '../errors.js';
import { packageRoot } from '../util/package-root.js';
import { readPidFileSync } from './process-guards.js';
import { readProcess } from './proc-table.js';

/**
 * The command a pattern is matched against: argv joined by spaces, with faultline's own directory
 * taken off the front of each word — the reference orchestrator runs from there, and a pattern must
 * select a process by its own command, not by where faultline happens to be installed.
 */
export function getMatchableCommand(argv: readonly string[]): string {
  const prefix = `${packageRoot.replace(/\/+$/, '')}/`;
  return argv.map((word) => (word.startsWith(prefix) ? word.slice(prefix.length) : word)).join(' ');
}

/** Refuses a pattern that matches everything, faultline's own command or pid 1's; `field` names it. */
export function checkPatternStatically(source: string, field: string): void {
  const pattern = new RegExp(source);
  const refuse = (what: string) => {
    throw new GuardError(`${field}: /${source}/ matches ${what}`, { hint: 'anchor the pattern on the target process’s own command, e.g. ^node \\S*scheduler\\.js' });
  };
  if (pattern.test('')) refuse('the empty command line, so every process');
  // faultline's own command without its arguments (which hold file names the user chose).
  const own = process.argv.slice(0, 2);
  if (pattern.test(getMatchableCommand(own)) || pattern.test(own.join(' '))) refuse(`faultline’s own command (${getMatchableCommand(own)})`);
  const init = readProcess(1);
  if (init && init.argv.length > 0 && pattern.test(getMatchableCommand(init.argv))) refuse(`pid 1 (${getMatchableCommand(init.argv).slice(0, 80)})`);
}

/** Refuses a pidfile that holds pid 1, faultline's pid or one of its ancestors' (a missing pidfile is left to prepare). */
export function checkPidFileStatically(path: string, field: string): void {
  const pid = readPidFileSync(path);
  if (pid === undefined) return;
  const why = describeProtectedPid(pid);
  if (why) throw new GuardError(`${field}: ${path} holds pid ${pid}, which is ${why}`, { hint: 'faultline never signals itself, its ancestors or init' });
}

function describeProtectedPid(pid: number): string | undefined {
  if (pid === 1) return 'pid 1 (init)';
  if (pid === process.pid) return 'faultline itself';
  const seen = new Set<number>();
  for (let current = readProcess(process.pid)?.ppid; current !== undefined && current > 0 && !seen.has(current); current = readProcess(current)?.ppid) {
    if (current === pid) return `an ancestor of faultline (pid ${process.pid})`;
    seen.add(current);
  }
  return undefined;
}
