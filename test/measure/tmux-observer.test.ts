import { chmodSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { FileWatcher } from '../../src/measure/sources/file-watcher.js';
import { TmuxObserver } from '../../src/measure/sources/tmux-observer.js';
import type { Trigger } from '../../src/measure/sources/trigger.js';
import { measureRecovery } from '../../src/measure/measure-recovery.js';
import { epochMs, monotonicMs } from '../../src/util/clock.js';
import { createSandbox, until, type Sandbox } from '../probes/helpers.js';

let sandbox: Sandbox;
let files: FileWatcher;
let observer: TmuxObserver;

async function startServer(): Promise<void> {
  // Right after kill-server the dying server can still hold the socket for a moment: retry briefly.
  let created: { exitCode: number; stdout: string } = { exitCode: 1, stdout: '' };
  for (let attempt = 0; attempt < 20 && created.exitCode !== 0; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50));
    created = await sandbox.tmux(['new-session', '-d', '-s', 'alpha', '-n', 'main', 'sleep 600', ';', 'new-window', '-d', '-t', 'alpha', '-n', 'side', 'sleep 600', ';', 'new-session', '-d', '-s', 'beta', 'sleep 600']);
  }
  expect(created.exitCode).toBe(0);
}

async function listSessions(): Promise<string[]> {
  return (await sandbox.tmux(['list-sessions', '-F', '#{session_name}'])).stdout.split('\n').filter(Boolean).sort();
}

beforeEach(async () => {
  sandbox = createSandbox();
  files = new FileWatcher();
  observer = new TmuxObserver({ socketPath: sandbox.socket }, files);
  await startServer();
});
afterEach(async () => {
  await observer.close();
  files.close();
  await sandbox.dispose();
});

describe('TmuxObserver (one control-mode client per target)', () => {
  test('answers every query through one long-lived client: no tmux process per check', async () => {
    // A tmux wrapper first on PATH counts every tmux process started from here on.
    const bin = join(sandbox.dir, 'bin');
    const counter = join(sandbox.dir, 'tmux-calls');
    mkdirSync(bin);
    writeFileSync(counter, '');
    writeFileSync(join(bin, 'tmux'), `#!/bin/sh\necho x >> '${counter}'\nexec /usr/bin/tmux "$@"\n`);
    chmodSync(join(bin, 'tmux'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      for (let i = 0; i < 50; i++) {
        const snapshot = await observer.snapshot();
        expect(snapshot.panes.map((pane) => pane.session)).toContain('alpha');
      }
    } finally {
      process.env.PATH = path;
    }
    expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(observer.connections).toBe(1);
  });

  test('queries made in the same turn share one list-panes', async () => {
    const [a, b, c] = await Promise.all([observer.snapshot(), observer.snapshot(), observer.snapshot()]);
    expect(a).toBe(b);
    expect(b).toBe(c);
    expect(a.panes.filter((pane) => pane.session === 'alpha').map((pane) => pane.windowName)).toEqual(['main', 'side']);
  });

  test('a killed window is announced by a notification within milliseconds', async () => {
    const triggers: Trigger[] = [];
    observer.watch((trigger) => triggers.push(trigger));
    await observer.snapshot();
    const issued = performance.now();
    await sandbox.tmux(['kill-window', '-t', '=alpha:side']);
    const returned = performance.now();
    const isNew = (trigger: Trigger) => trigger.source === 'tmux' && trigger.at! > issued;
    await until('a notification', () => triggers.some(isNew));
    expect(triggers.find(isNew)!.at!).toBeLessThan(returned + 50);
    expect(triggers.find(isNew)!.boundMs).toBeGreaterThan(0);
    const snapshot = await observer.snapshot();
    expect(snapshot.panes.some((pane) => pane.windowName === 'side')).toBe(false);
  });

  test('re-attaches when the session it is attached to is killed', async () => {
    const triggers: Trigger[] = [];
    observer.watch((trigger) => triggers.push(trigger));
    await observer.snapshot();
    const attachedTo = (await sandbox.tmux(['list-clients', '-F', '#{client_session}'])).stdout.trim();
    expect(['alpha', 'beta']).toContain(attachedTo);
    await sandbox.tmux(['kill-session', '-t', `=${attachedTo}`]);
    await until('a second connection', () => observer.connections === 2);
    const snapshot = await observer.snapshot();
    expect([...new Set(snapshot.panes.map((pane) => pane.session))]).toEqual([attachedTo === 'alpha' ? 'beta' : 'alpha']);
    expect(triggers.some((trigger) => trigger.source === 'tmux.exit')).toBe(true);
  });

  test('attaches to a session no probe watches, else to the one with the most windows', async () => {
    await observer.snapshot();
    expect((await sandbox.tmux(['list-clients', '-F', '#{client_session}'])).stdout.trim()).toBe('alpha');
    const other = new TmuxObserver({ socketPath: sandbox.socket }, files);
    other.noteWatchedSession('alpha');
    await other.snapshot();
    const clients = (await sandbox.tmux(['list-clients', '-F', '#{client_session}'])).stdout.trim().split('\n').sort();
    await other.close();
    expect(clients).toEqual(['alpha', 'beta']);
  });

  test('survives the server being killed and restarted, and never starts a server itself', async () => {
    const triggers: Trigger[] = [];
    observer.watch((trigger) => triggers.push(trigger));
    await observer.snapshot();
    await sandbox.tmux(['kill-server']);
    await until('the server to be seen down', async () => !(await observer.snapshot()).server);
    // Queries while the server is down must not bring one up on the target's socket.
    for (let i = 0; i < 5; i++) expect((await observer.snapshot()).server).toBe(false);
    expect((await sandbox.tmux(['list-sessions'])).exitCode).not.toBe(0);
    const before = triggers.length;
    await startServer();
    // The socket appearing (fs.watch) triggers a re-check without waiting for a poll.
    await until('a trigger for the new server', () => triggers.length > before);
    await until('a new connection', async () => (await observer.snapshot()).server && observer.connections >= 2);
    expect(await listSessions()).toEqual(['alpha', 'beta']);
  });

  test('while the server has no session, checks start no tmux process: the session-less watch answers them, and a new session is attached at once', async () => {
    const triggers: Trigger[] = [];
    observer.watch((trigger) => triggers.push(trigger));
    await observer.snapshot();
    expect((await sandbox.tmux(['set', '-g', 'exit-empty', 'off', ';', 'kill-session', '-t', '=alpha', ';', 'kill-session', '-t', '=beta'])).exitCode).toBe(0);
    await until('the session watch', () => triggers.some((trigger) => trigger.source === 'tmux.watching'));
    // A tmux wrapper first on PATH counts every tmux process started from here on (the standby execs through PATH too).
    const bin = join(sandbox.dir, 'bin');
    const counter = join(sandbox.dir, 'tmux-calls');
    mkdirSync(bin);
    writeFileSync(counter, '');
    writeFileSync(join(bin, 'tmux'), `#!/bin/sh\necho x >> '${counter}'\nexec /usr/bin/tmux "$@"\n`);
    chmodSync(join(bin, 'tmux'), 0o755);
    const path = process.env.PATH;
    process.env.PATH = `${bin}:${path}`;
    try {
      const begun = triggers.length;
      for (let i = 0; i < 10; i++) {
        const snapshot = await observer.snapshot();
        expect(snapshot.panes).toEqual([]);
        expect(snapshot.detail).toMatch(/no sessions/);
      }
      // Before: each check attached a client that failed ("no sessions"), and its %exit re-triggered the checks.
      expect(readFileSync(counter, 'utf8').split('\n').filter(Boolean)).toHaveLength(0);
      expect(triggers.slice(begun).filter((trigger) => trigger.source === 'tmux')).toEqual([]);
    } finally {
      process.env.PATH = path;
    }
    await startServer();
    await until('the new sessions', async () => (await observer.snapshot()).panes.length > 0);
    expect(await listSessions()).toEqual(['alpha', 'beta']);
  });

  test('changes nothing on the target and leaves no client behind when closed', async () => {
    observer.watch(() => undefined);
    await observer.snapshot();
    await observer.capturePane('%0', 10);
    expect(await listSessions()).toEqual(['alpha', 'beta']);
    const windows = (await sandbox.tmux(['list-windows', '-a', '-F', '#{session_name}:#{window_name}:#{window_width}x#{window_height}'])).stdout;
    expect((await sandbox.tmux(['list-clients', '-F', '#{client_flags}'])).stdout).toMatch(/read-only/);
    await observer.close();
    await until('the client to detach', async () => (await sandbox.tmux(['list-clients'])).stdout.trim() === '');
    expect((await sandbox.tmux(['list-windows', '-a', '-F', '#{session_name}:#{window_name}:#{window_width}x#{window_height}'])).stdout).toBe(windows);
  });
});

describe('a server whose only session is killed and re-created by its own session-closed hook', () => {
  // The hook stamps when it starts re-creating the session, the new pane stamps when its command
  // starts: the session came back between the two (epoch ms, on the same clock as epochMs()).
  async function startSelfHealingServer(delaySeconds: number): Promise<{ stamps: () => { hook: number; pane: number }[] }> {
    const pane = join(sandbox.dir, 'pane.sh');
    const heal = join(sandbox.dir, 'heal.sh');
    const log = join(sandbox.dir, 'stamps');
    writeFileSync(pane, `#!/bin/bash\necho "pane $EPOCHREALTIME" >> '${log}'\nexec sleep 600\n`);
    writeFileSync(heal, `#!/bin/bash\necho "hook $EPOCHREALTIME" >> '${log}'\nexec tmux -S '${sandbox.socket}' new-session -d -s solo -n main '${pane}'\n`);
    chmodSync(pane, 0o755);
    chmodSync(heal, 0o755);
    await sandbox.tmux(['kill-server']);
    await until('the old server to go', async () => (await sandbox.tmux(['list-sessions'])).exitCode !== 0);
    const started = await sandbox.tmux(['new-session', '-d', '-s', 'solo', '-n', 'main', pane, ';', 'set', '-g', 'exit-empty', 'off', ';', 'set-hook', '-g', 'session-closed', `run-shell -d ${delaySeconds} '${heal}'`]);
    expect(started.exitCode).toBe(0);
    return {
      stamps: () => {
        const lines = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' '));
        const pairs: { hook: number; pane: number }[] = [];
        for (const [index, [kind, value]] of lines.entries()) {
          if (kind === 'pane' && lines[index - 1]?.[0] === 'hook') pairs.push({ hook: Number(lines[index - 1]![1]) * 1000, pane: Number(value) * 1000 });
        }
        return pairs;
      },
    };
  }

  test('the recovery window holds the truth, it is seen within milliseconds, and the observer creates no session', async () => {
    // 0.3 s: on a host at load 20 the first attach after the kill took 157 ms, so a 0.1 s heal was back before any check saw it gone.
    const server = await startSelfHealingServer(0.3);
    const probes = sandbox.probes([{ probe: 'tmux.session', session: 'solo' }, { probe: 'tmux.window', session: 'solo', window: 'main' }]);
    for (const probe of probes) expect((await probe.probe.check()).ok).toBe(true);
    const observer = probes[0]!.sources.tmux();
    const t0 = monotonicMs();
    expect((await sandbox.tmux(['kill-session', '-t', '=solo'])).exitCode).toBe(0);
    const figures = await measureRecovery(probes, { t0, timeoutMs: 5000, stabilizeMs: 100, signal: new AbortController().signal });
    expect(figures).toMatchObject({ detected: true, recovered: true });
    const [truth] = server.stamps();
    expect(truth).toBeDefined();
    const hook = truth!.hook - epochMs(t0);
    const pane = truth!.pane - epochMs(t0);
    // The session came back within [hook, pane]: the window [rtoMs − rtoResolutionMs, rtoMs] must reach into it.
    expect(figures.rtoMs! - figures.rtoResolutionMs!).toBeLessThanOrEqual(pane);
    expect(figures.rtoMs!).toBeGreaterThanOrEqual(hook);
    // Seen at once (the session watch announced it), not at the next fallback poll ~400 ms later.
    expect(figures.rtoMs! - pane, 'seen late').toBeLessThan(250);
    expect(await listSessions()).toEqual(['solo']);
    // Attached again: the session watch is gone, only the read-only client remains.
    await until('the session watch to leave', () => observer.helperPids.length === 1);
    expect((await sandbox.tmux(['list-clients', '-F', '#{client_flags}'])).stdout.trim().split('\n')).toHaveLength(1);
  });
});

describe('a window re-created while the tmux server is held up after forking its pane', () => {
  test('the recovery window still reaches back to when the window was made: a notification sent late by a server that was not running cannot narrow it', async () => {
    const pane = join(sandbox.dir, 'pane.sh');
    const heal = join(sandbox.dir, 'heal.sh');
    const log = join(sandbox.dir, 'stamps');
    writeFileSync(log, '');
    const server = Number((await sandbox.tmux(['display-message', '-p', '#{pid}'])).stdout.trim());
    expect(server).toBeGreaterThan(0);
    writeFileSync(pane, `#!/bin/bash\necho "pane $EPOCHREALTIME" >> '${log}'\nexec sleep 600\n`);
    writeFileSync(heal, `#!/bin/bash\necho "hook $EPOCHREALTIME" >> '${log}'\nexec tmux -S '${sandbox.socket}' new-window -d -t '=alpha' -n side '${pane}'\n`);
    chmodSync(pane, 0o755);
    chmodSync(heal, 0o755);
    expect((await sandbox.tmux(['set-hook', '-g', 'window-unlinked', `run-shell -d 0.3 '${heal}'`])).exitCode).toBe(0);
    const probes = sandbox.probes([{ probe: 'tmux.window', session: 'alpha', window: 'side' }]);
    expect((await probes[0]!.probe.check()).ok).toBe(true);
    // Once the hook has stamped, the next terminal made is the new pane's: the server is stopped for 80 ms
    // right then, as a server waiting for a slow helper (utempter, on a loaded host) after forking a pane
    // is. Its %window-add comes that much later, and no CPU reading of the server shows the time (a
    // stopped or waiting process neither runs nor queues for a CPU).
    let armed = false;
    const terminals = watch('/dev/pts', () => {
      if (!armed || !readFileSync(log, 'utf8').includes('hook')) return;
      armed = false;
      process.kill(server, 'SIGSTOP');
      setTimeout(() => process.kill(server, 'SIGCONT'), 80);
    });
    try {
      // The stop can land after the notification went out (a fast helper): then try again.
      let heldUp = false;
      for (let attempt = 0; attempt < 5 && !heldUp; attempt++) {
        writeFileSync(log, '');
        await until('the window back', async () => (await probes[0]!.probe.check()).ok);
        armed = true;
        const t0 = monotonicMs();
        expect((await sandbox.tmux(['kill-window', '-t', '=alpha:side'])).exitCode).toBe(0);
        const figures = await measureRecovery(probes, { t0, timeoutMs: 5000, stabilizeMs: 100, signal: new AbortController().signal });
        expect(figures).toMatchObject({ detected: true, recovered: true });
        const stamps = readFileSync(log, 'utf8').split('\n').filter(Boolean).map((line) => line.split(' '));
        const hook = Number(stamps.find(([kind]) => kind === 'hook')![1]) * 1000 - epochMs(t0);
        const made = Number(stamps.find(([kind]) => kind === 'pane')![1]) * 1000 - epochMs(t0);
        // The window was back by the pane's stamp: [rtoMs − rtoResolutionMs, rtoMs] must reach into [hook, pane].
        expect(figures.rtoMs! - figures.rtoResolutionMs!, `attempt ${attempt}: window opens after the window was made`).toBeLessThanOrEqual(made);
        expect(figures.rtoMs!).toBeGreaterThanOrEqual(hook);
        // Held up: seen after the server resumed, well after the pane stamped.
        heldUp = figures.rtoMs! > made + 50;
      }
      expect(heldUp, 'the server was held up after forking the pane in one of 5 attempts').toBe(true);
    } finally {
      terminals.close();
      process.kill(server, 'SIGCONT');
    }
  });
});
