// Files root acts on later, unattended (a scheduled game day re-reads its plan and scenarios at each
// start, and a scenario may run commands): another user able to change such a file, or to swap it
// through a directory above it, would run what they like as root at the next start.
import { lstatSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** Why a user other than this one (or root) could change `path`; undefined when none can. */
export function findForeignWriter(path: string): string | undefined {
  const absolute = resolve(path);
  let real = absolute;
  try {
    real = realpathSync(absolute);
  } catch {
    // Missing: its directories still say who could create it.
  }
  // The path as named (a link in it is checked where it sits) and the file it leads to.
  for (const start of new Set([absolute, real])) {
    for (let current = start; ; current = dirname(current)) {
      const problem = describeForeignWrite(current);
      if (problem !== undefined) return problem;
      if (dirname(current) === current) break;
    }
  }
  return undefined;
}

function describeForeignWrite(path: string): string | undefined {
  let stats;
  try {
    stats = lstatSync(path);
  } catch {
    return undefined;
  }
  const self = process.getuid?.() ?? 0;
  if (stats.uid !== 0 && stats.uid !== self) return `${path} belongs to uid ${stats.uid}`;
  // A sticky directory (/tmp) lets others add entries but not replace or rename ours.
  const sticky = stats.isDirectory() && (stats.mode & 0o1000) !== 0;
  if (!stats.isSymbolicLink() && !sticky && (stats.mode & 0o022) !== 0) return `${path} is writable by its group or by others (mode ${(stats.mode & 0o7777).toString(8)})`;
  return undefined;
}
