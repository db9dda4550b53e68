// Resolves a command name on a PATH the way execvp does: the first executable regular file wins.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

/** The PATH entries of an environment, empty and relative entries dropped. */
export function getPathEntries(env: Readonly<Record<string, string>>): string[] {
  return (env.PATH ?? '').split(':').filter((entry) => entry !== '' && isAbsolute(entry));
}

/** Where `name` resolves on `entries`, or undefined when nothing there runs it. */
export function findOnPath(name: string, entries: readonly string[]): string | undefined {
  for (const dir of entries) {
    const candidate = join(dir, name);
    try {
      if (!statSync(candidate).isFile()) continue;
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not there or not executable: keep looking.
    }
  }
  return undefined;
}
