// The fault registry: a name → definition map. Adding a fault = adding its file and one line here.
import { InputError } from '../errors.js';
import type { FaultDefinition } from './types.js';
import configCorrupt from './config-corrupt.js';
import tmuxKillSession from './tmux-kill-session.js';
import tmuxKillWindow from './tmux-kill-window.js';

const definitions = [tmuxKillSession, tmuxKillWindow, configCorrupt] as const;

/** Every fault type, keyed by name. */
export const faultRegistry: ReadonlyMap<string, FaultDefinition> = new Map(
  definitions.map((definition) => [definition.type, definition as unknown as FaultDefinition]),
);

/** Returns the fault definition for a type, or fails listing the valid ones. */
export function getFaultDefinition(type: string): FaultDefinition {
  const definition = faultRegistry.get(type);
  if (!definition) throw new InputError(`Unknown fault type "${type}"`, { hint: `valid fault types: ${[...faultRegistry.keys()].join(', ')}` });
  return definition;
}
