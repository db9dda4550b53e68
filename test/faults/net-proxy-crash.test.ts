// A proxy fault through the real CLI: the runner is SIGKILLed while net.latency is in effect; the
// detached proxy and its redirect stay until `faultline recover`, which stops that proxy (and no other)
// and leaves the ruleset byte-identical.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { snapshotRuleset } from '../../src/net/nft.js';
import { findProxyProcesses } from '../../src/net/proxy-process.js';
import { waitForExit } from '../helpers/crash-harness.js';
import { useNetCrashWorkspace } from '../helpers/net-crash-workspace.js';
import { roundTrip } from '../net/tcp-helpers.js';

const net = useNetCrashWorkspace();

describe('net.latency after kill -9 of the runner', () => {
  test('`faultline recover` stops the proxy the runner left and removes its redirect', async () => {
    const { workspace, echo } = net;
    const rulesetBefore = await snapshotRuleset(undefined);
    // Passes while a round trip to the echo server takes under 150 ms: the 400 ms latency fails it.
    const check = `const t = performance.now(); const s = require('net').connect(${echo.port}, '127.0.0.1', () => s.write('x')); s.on('data', () => process.exit(performance.now() - t < 150 ? 0 : 1)); setTimeout(() => process.exit(2), 2000);`;
    const scenario = workspace.writeScenario('latency.yaml', `
id: crash-net-latency
title: latency in front of a loopback dependency, runner killed
steadyState:
  - { probe: command, run: [${JSON.stringify(process.execPath)}, -e, ${JSON.stringify(check)}], timeoutMs: 3000 }
fault:
  type: net.latency
  to: { port: ${echo.port} }
  latencyMs: 400
runs: 1
timeoutMs: 60000
stabilizeMs: 1000
`);
    const child = await workspace.startRunUntilInjected(scenario);
    child.kill('SIGKILL');
    await waitForExit(child);
    const ledger = join(workspace.stateDir, 'ledger');
    const intent = JSON.parse(readFileSync(join(ledger, readdirSync(ledger).find((name) => name.endsWith('.json'))!), 'utf8')) as { stateDir: string };
    expect(findProxyProcesses(intent.stateDir)).toHaveLength(1); // the proxy outlived its runner
    const slow = performance.now();
    expect(await roundTrip('127.0.0.1', echo.port, 'ping', 5000)).toBe('ping');
    expect(performance.now() - slow).toBeGreaterThanOrEqual(700);

    const result = await workspace.faultline(['recover']);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ net.latency');
    expect(findProxyProcesses(intent.stateDir)).toEqual([]);
    expect(readdirSync(ledger)).toEqual([]);
    expect(await snapshotRuleset(undefined)).toBe(rulesetBefore);
    const fast = performance.now();
    expect(await roundTrip('127.0.0.1', echo.port)).toBe('ping');
    expect(performance.now() - fast).toBeLessThan(300);
  });
});
