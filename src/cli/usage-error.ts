// yargs' usage messages, made into an InputError that names the user's own spelling and the help to read.
import { InputError } from '../errors.js';
import { suggestName, suggestValue } from '../validate/suggest.js';

/** The part of yargs' usage state a failure handler gets that lists the options of the command that failed. */
export interface YargsUsage {
  getDescriptions?: () => Record<string, unknown>;
}

// Commands, and the subcommands of those that have them (their --help lists the options).
const COMMANDS: Record<string, string[]> = { run: [], validate: [], target: ['up', 'down', 'status'], recover: [], fmea: ['import', 'lint', 'score'], report: [] };

/**
 * Turns a yargs failure message into an InputError. "Unknown arguments: reports-dir, reportsDir"
 * lists each option twice (as typed and camel-cased): only the typed form is kept, with its dashes.
 */
export function createUsageError(message: string, argv: readonly string[], usage?: YargsUsage): InputError {
  const command = findCommandPath(argv);
  const help = command ? `faultline ${command} --help` : 'faultline --help';
  const choice = /Argument: ([\w-]+), Given: "(.*)", Choices: (.+)$/m.exec(message);
  if (choice) {
    const choices = [...choice[3]!.matchAll(/"([^"]*)"/g)].map((match) => match[1]!);
    return new InputError(`--${choice[1]}: expected one of ${choices.join(', ')}; got "${choice[2]}"${suggestValue(choice[2], choices)}`, { hint: `see \`${help}\`` });
  }
  const unknown = /^Unknown arguments?: (.+)$/.exec(message);
  if (!unknown) return new InputError(message, { hint: `see \`${help}\`` });
  const names = unknown[1]!.split(', ');
  const typed = names.filter((name) => !names.some((other) => other !== name && toCamelCase(other) === name));
  const shown = typed.map((name) => findTyped(name, argv));
  const known = listOptionNames(usage);
  const suggestions = shown.flatMap((name) => {
    if (!name.startsWith('--')) return [];
    const suggestion = suggestName(name.replace(/^--(no-)?/, ''), known);
    return suggestion ? [`did you mean --${suggestion}?`] : [];
  });
  const lead = `unknown ${shown.some((name) => name.startsWith('-')) ? 'option' : 'argument'}${shown.length > 1 ? 's' : ''}: ${shown.join(', ')}`;
  return new InputError(suggestions.length > 0 ? `${lead}; ${suggestions.join('; ')}` : lead, {
    hint: `\`${help}\` lists what ${command ? `\`${command}\`` : 'faultline'} accepts`,
  });
}

// "target up" from `faultline target up --bogus`: the command, and its subcommand when it has them.
function findCommandPath(argv: readonly string[]): string | undefined {
  const words = argv.filter((word) => !word.startsWith('-'));
  const [command, sub] = words;
  if (command === undefined || !(command in COMMANDS)) return undefined;
  return sub !== undefined && COMMANDS[command]!.includes(sub) ? `${command} ${sub}` : command;
}

// The option as the user typed it: --name, --name=…, --no-name (yargs reports "name" for that) or -n.
function findTyped(name: string, argv: readonly string[]): string {
  for (const form of [`--${name}`, `--no-${name}`]) {
    if (argv.some((word) => word === form || word.startsWith(`${form}=`))) return form;
  }
  return name.length === 1 && argv.some((word) => /^-[^-]/.test(word) && word.includes(name)) ? `-${name}` : name;
}

// The long options the failing command declares, as typed on a command line (kebab-case).
function listOptionNames(usage: YargsUsage | undefined): string[] {
  const names = typeof usage?.getDescriptions === 'function' ? Object.keys(usage.getDescriptions()) : [];
  return names.filter((name) => name.length > 1 && !/[A-Z]/.test(name));
}

function toCamelCase(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, letter: string) => letter.toUpperCase());
}
