// Locates the stack's programs: the compiled JS in dist/, also when this module runs from src/ (vitest).
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TargetError } from '../../errors.js';

/** Absolute paths of the stack's node programs. */
export interface WebstackScripts {
  supervisor: string;
  api: string;
  scheduler: string;
}

/** The script paths; throws TargetError when the build output is missing. */
export function getWebstackScripts(): WebstackScripts {
  const here = dirname(fileURLToPath(import.meta.url));
  const base = import.meta.url.endsWith('.ts') ? resolve(here, '../../../dist/targets/webstack') : here;
  const scripts = { supervisor: join(base, 'supervisor.js'), api: join(base, 'api', 'server.js'), scheduler: join(base, 'api', 'scheduler.js') };
  const missing = Object.values(scripts).filter((path) => !existsSync(path));
  if (missing.length > 0) throw new TargetError(`the web stack's programs are not built (missing ${missing.join(', ')})`, { hint: 'run `npm run build` (tsc -p .) first' });
  return scripts;
}
