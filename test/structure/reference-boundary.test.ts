// The reference orchestrator sits behind the driver interface: its modules import each other, the
// target contract and src/util/ (plus the error classes and the tmux client the contract's tmux() runs
// through), never the run, the faults, the measurements, the probes, the CLI, the report or the analysis.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getPackagePath } from '../../src/util/package-root.js';

const src = getPackagePath('src');
const referenceDir = join(src, 'targets', 'reference');
const allowedFiles = ['targets/types.ts', 'targets/tmux.ts', 'errors.ts'];
const forbiddenFolders = ['run', 'faults', 'measure', 'probes', 'cli', 'report', 'analyse'];

function listFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

// Every relative import of a file, static or lazy (`await import('…')`), as a path under src/.
function readImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s[^'";]*?\sfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm)].map((match) => match[1] ?? match[2]!);
  return specifiers.map((specifier) => relative(src, resolve(dirname(file), specifier.replace(/\.js$/, '.ts'))));
}

describe('the reference orchestrator’s imports', () => {
  test('reach only src/targets/reference/, the target contract and src/util/', () => {
    const outside = listFiles(referenceDir).flatMap((file) =>
      readImports(file)
        .filter((path) => !path.startsWith('targets/reference/') && !path.startsWith('util/') && !allowedFiles.includes(path))
        .map((path) => `${relative(src, file)} → ${path}`),
    );
    expect(outside).toEqual([]);
  });

  test('the check sees static and lazy imports of the folders it forbids', () => {
    const file = join(referenceDir, 'x.ts');
    const paths = ["import { a } from '../../run/ledger.js';", "const b = await import('../../faults/registry.js');"].flatMap((line) =>
      [...line.matchAll(/^(?:import|export)\s[^'";]*?\sfrom\s+['"](\.[^'"]+)['"]|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm)].map((match) => relative(src, resolve(dirname(file), (match[1] ?? match[2]!).replace(/\.js$/, '.ts')))),
    );
    expect(paths.map((path) => path.split('/')[0])).toEqual(['run', 'faults']);
    expect(paths.every((path) => forbiddenFolders.includes(path.split('/')[0]!))).toBe(true);
  });

  test('importing the healer module starts nothing and does not exit', async () => {
    const module = await import('../../src/targets/reference/heal-loop.js');
    expect(typeof module.runHealer).toBe('function');
    const stop = new AbortController();
    stop.abort();
    await expect(module.runHealer('/nonexistent/faultline-healer-test', stop.signal)).resolves.toMatch(/^no readable target\.json in \/nonexistent\/faultline-healer-test/);
  });
});
