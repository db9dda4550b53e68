import { readdirSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileWatcher } from '../../src/measure/sources/file-watcher.js';
import { StandbyClient, TmuxControlClient } from '../../src/measure/sources/tmux-control-client.js';
import { TmuxObserver } from '../../src/measure/sources/tmux-observer.js';
import { createSandbox, until, type Sandbox } from '../probes/helpers.js';

let sandbox: Sandbox;

// Processes this test process forked (direct children), by pid, with their command lines.
function listChildren(): Map<number, string> {
  const children = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === process.pid) children.set(Number(entry), readFileSync(`/proc/${entry}/cmdline`, 'utf8').replaceAll('\0', ' '));
    } catch {
      // Gone meanwhile.
    }
  }
  return children;
}

const ignore = { onNotification: () => undefined, onExit: () => undefined };

beforeEach(async () => {
  sandbox = createSandbox();
  const created = await sandbox.tmux(['new-session', '-d', '-s', 'alpha', 'sleep 600', ';', 'new-session', '-d', '-s', 'beta', 'sleep 600']);
  expect(created.exitCode).toBe(0);
});
afterEach(async () => {
  await sandbox.dispose();
});

describe('control clients forked in advance', () => {
  test('a standby becomes the client (same process) and answers; an unused one leaves on dispose', async () => {
    const standby = new StandbyClient({ socketPath: sandbox.socket });
    const pid = standby.child.pid!;
    await until('the standby waits', () => listChildren().get(pid)?.includes('faultline-standby') === true);
    const client = await TmuxControlClient.connect({ socketPath: sandbox.socket }, ignore, 5000, undefined, standby);
    expect(client.pid).toBe(pid);
    expect(standby.usable).toBe(false);
    const reply = await client.command('list-sessions -F "#{session_name}"');
    expect(reply.ok).toBe(true);
    expect(reply.lines.sort()).toEqual(['alpha', 'beta']);
    await client.close();

    const unused = new StandbyClient({ socketPath: sandbox.socket });
    await until('the second standby waits', () => listChildren().has(unused.child.pid!));
    unused.dispose();
    await until('the unused standby leaves', () => !listChildren().has(unused.child.pid!));
    // It never became a client: the server still has no client at all.
    expect((await sandbox.tmux(['list-clients'])).stdout.trim()).toBe('');
  });

  test('a command sent before the attach completes is answered right after it, marked early', async () => {
    const { client, attached } = TmuxControlClient.start({ socketPath: sandbox.socket }, ignore, 5000);
    const early = client.command('display-message -p "#{session_name}"');
    await attached;
    const reply = await early;
    expect(reply.ok).toBe(true);
    expect(reply.early).toBe(true);
    expect(['alpha', 'beta']).toContain(reply.lines[0]);
    expect((await client.command('display-message -p x')).early).toBe(false);
    await client.close();
  });

  test('an early command settles when the attach fails (tmux answers it or the client is gone), never hangs', async () => {
    await sandbox.tmux(['kill-session', '-t', '=alpha', ';', 'kill-session', '-t', '=beta', ';', 'set', '-g', 'exit-empty', 'off']).catch(() => undefined);
    const { client, attached } = TmuxControlClient.start({ socketPath: sandbox.socket }, ignore, 5000);
    const early = client.command('display-message -p x');
    await expect(attached).rejects.toThrow(/no sessions/);
    const settled = await Promise.race([early.then((reply) => `answered ${reply.lines.join(' ')}`, () => 'failed'), new Promise((resolve) => setTimeout(() => resolve('hangs'), 3000))]);
    expect(['answered x', 'failed']).toContain(settled);
  });

  test('the observer re-attaches through the process it forked before the session was killed', async () => {
    const files = new FileWatcher();
    const observer = new TmuxObserver({ socketPath: sandbox.socket }, files);
    try {
      observer.watch(() => undefined);
      await until('attached', () => observer.clientPid !== undefined);
      const first = observer.clientPid!;
      // A standby waits beside the attached client.
      await until('a standby', () => [...listChildren().values()].some((command) => command.includes('faultline-standby')));
      const before = new Set(listChildren().keys());
      const attachedTo = (await sandbox.tmux(['list-clients', '-F', '#{client_pid} #{client_session}'])).stdout.trim().split('\n').find((line) => line.startsWith(`${first} `))!.split(' ')[1];
      await sandbox.tmux(['kill-session', '-t', `=${attachedTo}`]);
      await until('re-attached', () => observer.clientPid !== undefined && observer.clientPid !== first);
      // Forked before the kill: the re-attach did not wait for a fork.
      expect(before.has(observer.clientPid!)).toBe(true);
      expect(observer.connections).toBe(2);
    } finally {
      await observer.close();
      files.close();
    }
    await until('nothing of ours left', () => listChildren().size === 0);
  });
});
