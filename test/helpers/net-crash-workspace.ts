// The setup the net.* crash tests share: the host ruleset lock (net tests that change the host's
// ruleset take turns), a snapshot of the host network, a loopback echo server and a crash workspace.
// After all: recover whatever a failed assertion left in effect, and the host network must be as before.
import { afterAll, beforeAll } from 'vitest';
import { createCrashWorkspace, type CrashWorkspace } from './crash-harness.js';
import { acquireHostRulesetLock, createTestPrefix, expectHostNetworkUnchanged, snapshotHostNetwork, type HostNetworkState } from './host-network-state.js';
import { startEchoServer } from '../net/tcp-helpers.js';

type EchoServer = Awaited<ReturnType<typeof startEchoServer>>;

/** Registers the setup and teardown; the returned object's fields are there once beforeAll has run. */
export function useNetCrashWorkspace(): { readonly workspace: CrashWorkspace; readonly echo: EchoServer } {
  const prefix = createTestPrefix('net');
  let workspace: CrashWorkspace | undefined;
  let before: HostNetworkState;
  let echo: EchoServer | undefined;
  let releaseLock: (() => void) | undefined;
  beforeAll(async () => {
    releaseLock = await acquireHostRulesetLock();
    before = await snapshotHostNetwork(prefix);
    echo = await startEchoServer();
    workspace = await createCrashWorkspace({ heal: false });
  }, 700_000);
  afterAll(async () => {
    try {
      await workspace?.faultline(['recover']); // whatever a failed assertion left in effect
      await workspace?.dispose();
      await echo?.close();
      await expectHostNetworkUnchanged(before, prefix);
    } finally {
      releaseLock?.();
    }
  });
  return {
    get workspace() {
      if (!workspace) throw new Error('the crash workspace is not set up (beforeAll did not run or failed)');
      return workspace;
    },
    get echo() {
      if (!echo) throw new Error('the echo server is not started (beforeAll did not run or failed)');
      return echo;
    },
  };
}
