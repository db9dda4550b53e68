// Expands the paths a user gave into scenario files: directories are walked for *.yaml / *.yml.
import { readdir, stat } from 'node:fs/promises';
import { resolve, sep } from 'node:path';
import { createProblem, type Problem } from '../validate/problem.js';

/** A file to read: `file` as the user would recognise it (their path, or their directory + the rest). */
export interface ScenarioFile {
  file: string;
  absolute: string;
  /** Named on the command line (not found by walking a directory). */
  explicit: boolean;
}

const scenarioExtension = /\.ya?ml$/i;

/** Expands `paths` into files (sorted within each directory, duplicates dropped) and problems for paths that are not there. */
export async function findScenarioFiles(paths: readonly string[]): Promise<{ files: ScenarioFile[]; problems: Problem[] }> {
  const files: ScenarioFile[] = [];
  const problems: Problem[] = [];
  const seen = new Set<string>();
  const add = (file: ScenarioFile) => {
    if (seen.has(file.absolute)) return;
    seen.add(file.absolute);
    files.push(file);
  };
  for (const path of paths) {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => error);
    if (info instanceof Error) {
      problems.push(createProblem(path, undefined, '', info.code === 'ENOENT' ? 'no such file or directory' : `cannot read (${info.code ?? info.message})`));
    } else if (info.isDirectory()) {
      const found = await walkDirectory(resolve(path));
      if (found.length === 0) problems.push(createProblem(path, undefined, '', 'no scenario files (*.yaml, *.yml) in this directory'));
      for (const relative of found) add({ file: joinAsTyped(path, relative), absolute: resolve(path, relative), explicit: false });
    } else {
      add({ file: path, absolute: resolve(path), explicit: true });
    }
  }
  return { files, problems };
}

// Relative paths of the YAML files under `root`, sorted by code point so the order is the same everywhere.
async function walkDirectory(root: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(resolve(root, prefix), { withFileTypes: true });
  const found: string[] = [];
  for (const entry of entries) {
    if (entry.name.startsWith('.')) continue;
    const relative = prefix ? `${prefix}${sep}${entry.name}` : entry.name;
    // Symlinked directories are not followed (no cycles); symlinked files are read.
    if (entry.isDirectory()) found.push(...(await walkDirectory(root, relative)));
    else if (scenarioExtension.test(entry.name) && (entry.isFile() || (entry.isSymbolicLink() && (await isFile(resolve(root, relative)))))) found.push(relative);
  }
  return found.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

function joinAsTyped(directory: string, relative: string): string {
  return directory.endsWith(sep) ? `${directory}${relative}` : `${directory}${sep}${relative}`;
}
