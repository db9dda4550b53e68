// net.partition through the real CLI: the runner is SIGKILLed while the partition is in effect, and
// `faultline recover` removes the table from the ledger alone and leaves the host's network as it was.
import { describe, expect, test } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { snapshotRuleset } from '../../src/net/nft.js';
import { waitForExit } from '../helpers/crash-harness.js';
import { useNetCrashWorkspace } from '../helpers/net-crash-workspace.js';
import { roundTrip } from '../net/tcp-helpers.js';

const net = useNetCrashWorkspace();

describe('net.partition after kill -9 of the runner', () => {
  test('`faultline recover` removes the partition and the ruleset is byte-identical to before', async () => {
    const { workspace, echo } = net;
    const rulesetBefore = await snapshotRuleset(undefined);
    const scenario = workspace.writeScenario('partition.yaml', `
id: crash-net-partition
title: partition of a loopback dependency, runner killed
steadyState:
  - { probe: tcp, port: ${echo.port}, timeoutMs: 300 }
fault:
  type: net.partition
  to: { host: 127.0.0.1, port: ${echo.port} }
runs: 1
timeoutMs: 60000
stabilizeMs: 1000
`);
    const plan = await workspace.faultline(['run', scenario, '--dry-run', '--target-dir', workspace.target.dir]);
    expect(plan.stdout + plan.stderr).toMatch(/mechanism: nftables/);
    expect(await snapshotRuleset(undefined)).toBe(rulesetBefore); // a dry run touches nothing

    const child = await workspace.startRunUntilInjected(scenario);
    await expect(roundTrip('127.0.0.1', echo.port, 'x', 600)).rejects.toThrow(/no answer/);
    const intents = readdirSync(join(workspace.stateDir, 'ledger')).filter((name) => name.endsWith('.json'));
    expect(intents).toHaveLength(1);
    child.kill('SIGKILL');
    await waitForExit(child);
    // Still cut: nothing but the ledger knows about the table now.
    expect(await snapshotRuleset(undefined)).not.toBe(rulesetBefore);

    const result = await workspace.faultline(['recover']);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ net.partition');
    expect(readdirSync(join(workspace.stateDir, 'ledger'))).toEqual([]);
    expect(await snapshotRuleset(undefined)).toBe(rulesetBefore);
    expect(await roundTrip('127.0.0.1', echo.port)).toBe('ping');
  });
});
