// What differs between targets lives in their driver (src/targets/drivers/): no module elsewhere
// compares a `kind` or `driver` field with a driver's name, or switches on one with `case '<driver>'`.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getPackagePath } from '../../src/util/package-root.js';
import { driverRegistry } from '../../src/targets/drivers/registry.js';

const root = getPackagePath('src');
const driversDir = join(root, 'targets', 'drivers');

function listSourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return path === driversDir ? [] : listSourceFiles(path);
    return path.endsWith('.ts') ? [path] : [];
  });
}

/** Lines of a source text that decide by a driver's name: `x.kind === 'reference'`, `'external' !== driver`, `case 'supervisord':`. */
export function findDriverSwitches(text: string, names: readonly string[]): string[] {
  const name = names.map((candidate) => candidate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  const patterns = [
    new RegExp(`\\b(?:kind|driver)\\s*[!=]==?\\s*['"\`](?:${name})['"\`]`),
    new RegExp(`['"\`](?:${name})['"\`]\\s*[!=]==?\\s*[\\w.?]*\\b(?:kind|driver)\\b`),
    new RegExp(`\\bcase\\s+['"\`](?:${name})['"\`]\\s*:`),
  ];
  return text.split('\n').filter((line) => patterns.some((pattern) => pattern.test(line)));
}

// Files that compare a `kind` with a driver name for another reason, and how many such lines each may have.
const allowed: Record<string, { lines: number; why: string }> = {
  'targets/reference/state.ts': { lines: 1, why: 'the reference state file’s own type tag, not a choice between drivers' },
  'run/ledger.ts': { lines: 1, why: 'shape check of intents written before descriptors named their driver (`kind`)' },
  // The run summary's target description is a data contract (summary.json, also older runs'): these read it back.
  'analyse/configuration.ts': { lines: 1, why: 'names the configuration a summary.json describes' },
  'fmea/evidence/read-evidence.ts': { lines: 1, why: 'names the configuration of a summary.json without one' },
  'report/view/system-under-test.ts': { lines: 2, why: 'describes the system a summary.json measured' },
};

describe('driver switches', () => {
  test('the matcher finds the forms a switch on a driver name takes, and not a file kind', () => {
    const names = ['reference', 'external'];
    expect(findDriverSwitches("if (target.kind === 'reference') x();\nif ('external' !== descriptor.driver) y();\n  case 'external':", names)).toHaveLength(3);
    expect(findDriverSwitches("if (entry.kind === 'directory') x();\nif (intent.kind === 'target') y();", names)).toEqual([]);
  });

  test('no module outside src/targets/drivers/ compares a kind or driver with a driver name', () => {
    const found = listSourceFiles(root).flatMap((file) => {
      const lines = findDriverSwitches(readFileSync(file, 'utf8'), driverRegistry.names);
      const name = relative(root, file);
      return lines.length > (allowed[name]?.lines ?? 0) ? lines.map((line) => `${name}: ${line.trim()}`) : [];
    });
    expect(found).toEqual([]);
  });
});
