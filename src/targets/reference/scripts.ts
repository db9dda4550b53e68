// Locates the orchestrator's process scripts: always the compiled JS in dist/, also when this module is
// loaded from src/ (vitest runs the TypeScript directly, but child processes need plain JS).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TargetError } from '../../errors.js';

/** Absolute paths of the four scripts. */
export interface ReferenceScripts {
  agent: string;
  healthServer: string;
  scheduler: string;
  healer: string;
}

/** Returns the script paths; throws TargetError when the build output is missing. */
export function getReferenceScripts(): ReferenceScripts {
  const here = dirname(fileURLToPath(import.meta.url));
  const base = import.meta.url.endsWith('.ts') ? resolve(here, '../../../dist/targets/reference') : here;
  const scripts: ReferenceScripts = {
    agent: join(base, 'agent.js'),
    healthServer: join(base, 'health-server.js'),
    scheduler: join(base, 'scheduler.js'),
    healer: join(base, 'healer.js'),
  };
  const missing = Object.values(scripts).filter((path) => !existsSync(path));
  if (missing.length > 0) {
    throw new TargetError(`the reference orchestrator's scripts are not built (missing ${missing.join(', ')})`, { hint: 'run `npm run build` (tsc -p .) first' });
  }
  return scripts;
}
