// No import cycle among src/ modules, type-only imports included (a cycle through types still ties the
// modules together for readers and bundlers); lazy `await import()` is the way to break one on purpose.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getPackagePath } from '../../src/util/package-root.js';

const root = getPackagePath('src');

function readImportGraph(): Map<string, string[]> {
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (path.endsWith('.ts')) files.push(path);
    }
  };
  walk(root);
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    // Static `import … from './x.js'` and `export … from './x.js'` (not `await import()`).
    const deps = [...text.matchAll(/^(?:import|export)\s[^'";]*?\sfrom\s+['"](\.[^'"]+)['"]/gm)].map((match) => resolve(dirname(file), match[1]!.replace(/\.js$/, '.ts')));
    graph.set(file, deps);
  }
  return graph;
}

function findCycles(graph: ReadonlyMap<string, string[]>): string[] {
  const cycles = new Set<string>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const done = new Set<string>();
  const visit = (node: string) => {
    if (onStack.has(node)) {
      cycles.add([...stack.slice(stack.indexOf(node)), node].map((path) => relative(root, path)).join(' → '));
      return;
    }
    if (done.has(node)) return;
    onStack.add(node);
    stack.push(node);
    for (const dep of graph.get(node) ?? []) visit(dep);
    stack.pop();
    onStack.delete(node);
    done.add(node);
  };
  for (const node of graph.keys()) visit(node);
  return [...cycles];
}

describe('module structure', () => {
  test('src/ has no import cycle (type imports included)', () => {
    expect(findCycles(readImportGraph())).toEqual([]);
  });

  test('the check finds a cycle when there is one', () => {
    expect(findCycles(new Map([['/a.ts', ['/b.ts']], ['/b.ts', ['/a.ts']]]))).toHaveLength(1);
  });
});
