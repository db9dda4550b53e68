// yargs' usage messages, made into an InputError that names the user's own spelling and the help to read.
import { InputError } from '../errors.js';

const COMMANDS = new Set(['run', 'validate', 'target', 'recover', 'fmea', 'report']);

/**
 * Turns a yargs failure message into an InputError. "Unknown arguments: reports-dir, reportsDir"
 * lists each option twice (as typed and camel-cased): only the typed form is kept, with its dashes.
 */
export function createUsageError(message: string, argv: readonly string[]): InputError {
  const command = argv.find((word) => !word.startsWith('-'));
  const help = command && COMMANDS.has(command) ? `faultline ${command} --help` : 'faultline --help';
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return new InputError(message, { hint: `see \`${help}\`` });
  const names = unknown[1]!.split(', ');
  const typed = names.filter((name) => !names.some((other) => other !== name && toCamelCase(other) === name));
  const shown = typed.map((name) => (argv.some((word) => word === `--${name}` || word.startsWith(`--${name}=`)) ? `--${name}` : name.length === 1 && argv.includes(`-${name}`) ? `-${name}` : name));
  return new InputError(`unknown ${shown.some((name) => name.startsWith('-')) ? 'option' : 'argument'}${shown.length > 1 ? 's' : ''}: ${shown.join(', ')}`, {
    hint: `\`${help}\` lists what ${command && COMMANDS.has(command) ? `\`${command}\`` : 'faultline'} accepts`,
  });
}

function toCamelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
