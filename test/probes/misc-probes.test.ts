import { describe, expect, test, afterEach, beforeEach } from 'vitest';
import { probeRegistry } from '../../src/probes/registry.js';
import { check, createSandbox, type Sandbox } from './helpers.js';

let sandbox: Sandbox;
beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(() => sandbox.dispose());

describe('the probe registry', () => {
  // Which files are registered is test/structure/registries.test.ts's; here: the schema tags.
  test('holds the probe types, each with a params schema tagged by its name', () => {
    expect(probeRegistry.names).toEqual(expect.arrayContaining(['tmux.session', 'file.exists', 'disk.free', 'command']));
    for (const [type, definition] of probeRegistry) {
      expect((definition.params.properties as Record<string, { const?: string }>).probe?.const).toBe(type);
    }
  });
});

describe('disk.free and command', () => {
  test('disk.free compares the free space of the path’s filesystem with minBytes and minPercent', async () => {
    const [some, huge, full] = sandbox.probes([
      { probe: 'disk.free', path: '.', minBytes: 1 },
      { probe: 'disk.free', path: '.', minBytes: Number.MAX_SAFE_INTEGER },
      { probe: 'disk.free', path: '.', minBytes: 0, minPercent: 100 },
    ]);
    expect(await check(some!)).toEqual({ ok: true });
    expect(await check(huge!)).toMatchObject({ ok: false, detail: expect.stringContaining('free under .') });
    expect((await check(full!)).ok).toBe(false);
  });

  test('command passes on the expected exit code and stdout, and fails on a timeout', async () => {
    const [ok, code, output, slow] = sandbox.probes([
      { probe: 'command', run: ['sh', '-c', 'echo "$FAULTLINE_TARGET_HOME"'], stdoutMatches: sandbox.dir },
      { probe: 'command', run: ['sh', '-c', 'exit 3'], exitCode: 0 },
      { probe: 'command', run: ['echo', 'nope'], stdoutMatches: '^yes$' },
      { probe: 'command', run: ['sleep', '5'], timeoutMs: 50 },
    ]);
    expect(await check(ok!)).toEqual({ ok: true });
    expect(await check(code!)).toEqual({ ok: false, detail: 'exit 3, expected 0' });
    expect(await check(output!)).toEqual({ ok: false, detail: 'stdout does not match /^yes$/' });
    expect(await check(slow!)).toEqual({ ok: false, detail: 'timed out after 50 ms' });
  });
});
