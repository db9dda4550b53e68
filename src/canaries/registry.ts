// The canary registry: a name → definition map. Adding a canary = adding its file and one line here.
import { createRegistry, type Registry } from '../util/registry.js';
import type { CanaryDefinition } from './types.js';
import command from './command.js';
import fileAppend from './file-append.js';
import etcdWrites from './etcd-writes.js';
import httpObjects from './http-objects.js';
import redisKeys from './redis-keys.js';
import sqlRows from './sql-rows.js';
import tmuxMessage from './tmux-message.js';

const definitions = [tmuxMessage, fileAppend, command, sqlRows, redisKeys, httpObjects, etcdWrites] as const;

/** The name of a registered canary. */
export type CanaryType = (typeof definitions)[number]['type'];

/** Every canary type, keyed by name. */
export const canaryRegistry: Registry<CanaryType, CanaryDefinition> = createRegistry('canary type', definitions, (definition) => definition.type);

/** Returns the canary definition for a type, or fails listing the valid ones. */
export function getCanaryDefinition(type: string): CanaryDefinition {
  return canaryRegistry.require(type);
}
