// The canary registry: a name → definition map. Adding a canary = adding its file and one line here.
import { InputError } from '../errors.js';
import type { CanaryDefinition } from './types.js';
import command from './command.js';
import fileAppend from './file-append.js';
import tmuxMessage from './tmux-message.js';

const definitions = [tmuxMessage, fileAppend, command] as const;

/** Every canary type, keyed by name. */
export const canaryRegistry: ReadonlyMap<string, CanaryDefinition> = new Map(
  definitions.map((definition) => [definition.type, definition as unknown as CanaryDefinition]),
);

/** Returns the canary definition for a type, or fails listing the valid ones. */
export function getCanaryDefinition(type: string): CanaryDefinition {
  const definition = canaryRegistry.get(type);
  if (!definition) throw new InputError(`Unknown canary type "${type}"`, { hint: `valid canary types: ${[...canaryRegistry.keys()].join(', ')}` });
  return definition;
}
