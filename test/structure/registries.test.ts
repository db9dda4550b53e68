// Every fault, probe, canary and driver file is joined to its registry, and every registered entry's
// params schema is tagged with its own name: the lists come from the files and the registries, never
// from a copy in a test.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { getPackagePath } from '../../src/util/package-root.js';
import { faultRegistry } from '../../src/faults/registry.js';
import { probeRegistry } from '../../src/probes/registry.js';
import { canaryRegistry } from '../../src/canaries/registry.js';
import { driverRegistry } from '../../src/targets/drivers/registry.js';

// The names the files of a folder declare with `define…({ type: '<name>'` (or `name:` for drivers).
function readDeclaredNames(folder: string, pattern: RegExp): string[] {
  const dir = getPackagePath(folder);
  return readdirSync(dir).filter((file) => file.endsWith('.ts')).flatMap((file) => [...readFileSync(join(dir, file), 'utf8').matchAll(pattern)].map((match) => match[1]!)).sort();
}

describe('the registries', () => {
  test.each([
    ['faults', faultRegistry, /defineFault\(\{\s*type: '([^']+)'/g, 'type'],
    ['probes', probeRegistry, /defineProbe\(\{\s*type: '([^']+)'/g, 'probe'],
    ['canaries', canaryRegistry, /defineCanary\(\{\s*type: '([^']+)'/g, 'type'],
  ] as const)('src/%s: every declared type is registered, under the name its params are tagged with', (folder, registry, pattern, tag) => {
    expect([...registry.names].sort()).toEqual(readDeclaredNames(`src/${folder}`, pattern));
    for (const [name, definition] of registry) {
      expect((definition.params.properties as Record<string, { const?: string }>)[tag]?.const).toBe(name);
    }
  });

  test('src/targets/drivers: every driver a file exports by default is registered, under its name', async () => {
    const dir = getPackagePath('src/targets/drivers');
    const files = readdirSync(dir).filter((file) => file.endsWith('.ts') && /^export default /m.test(readFileSync(join(dir, file), 'utf8')));
    const drivers = await Promise.all(files.map(async (file) => ((await import(join(dir, file))) as { default: { name: string } }).default));
    expect(drivers.map((driver) => driver.name).sort()).toEqual([...driverRegistry.names].sort());
    for (const driver of drivers) expect(driverRegistry.get(driver.name)).toBe(driver);
  });

  test('an unknown name fails listing the valid ones', () => {
    expect(() => probeRegistry.require('tmux.sesion')).toThrow(/Unknown probe type "tmux\.sesion"/);
    try {
      faultRegistry.require('nope');
    } catch (error) {
      expect((error as { hint?: string }).hint).toBe(`valid fault types: ${faultRegistry.names.join(', ')}`);
    }
    expect.assertions(2);
  });

  test('a definition refuses params tagged for another entry before acting', async () => {
    const kill = faultRegistry.require('process.kill');
    await expect(kill.prepare({ type: 'process.stop', pidfile: 'x.pid' }, { target: undefined as never, stateDir: '/nonexistent' })).rejects.toThrow(/params for type process\.kill have type "process\.stop"/);
    expect(() => probeRegistry.require('file.exists').create({ probe: 'file.hash', path: 'x' }, { target: undefined as never, sources: undefined as never })).toThrow(/have probe "file\.hash"/);
  });
});
