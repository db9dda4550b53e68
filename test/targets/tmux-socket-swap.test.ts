// The default-server guard against a target that swaps its socket after the check: the target's own uid
// (setpriv) replaces the socket in its instance directory by a symlink to another root tmux server (a
// private "victim" server of this test, standing in for /tmp/tmux-0/default or /tmp/tmux-0/work). Every
// later tmux call must refuse, and the victim must not notice anything.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { createExternalTarget } from '../../src/targets/external.js';
import { runSocketTmux } from '../../src/targets/reference/exec.js';
import { openTmuxSocket, runTmux } from '../../src/targets/tmux.js';
import { canRunHostile, createHostileInstance } from '../helpers/hostile-target.js';

const disposables: Array<() => void> = [];
afterEach(() => {
  for (const dispose of disposables.splice(0).reverse()) dispose();
});

function tmux(socket: string, args: string[]): string {
  return execFileSync('tmux', ['-f', '/dev/null', '-S', socket, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

describe.skipIf(!canRunHostile())('a tmux socket swapped after the check', () => {
  test.each([{ swap: 'symlink' as const }, { swap: 'directory symlink' as const }])('$swap to another root server: refused, the victim untouched', async ({ swap }) => {
    // The victim: a root tmux server of ours (never the real default server).
    const victimDir = mkdtempSync(join(tmpdir(), 'faultline-victim-'));
    const victim = join(victimDir, 'work');
    tmux(victim, ['new-session', '-d', '-s', 'precious', 'sleep 600']);
    disposables.push(() => {
      try {
        tmux(victim, ['kill-server']);
      } catch {
        // Already gone (the failure this test looks for).
      }
      rmSync(victimDir, { recursive: true, force: true });
    });
    const instance = createHostileInstance();
    const sockDir = join(instance.dir, 'run');
    instance.runAsTarget(['mkdir', sockDir]);
    const sock = join(sockDir, 'tmux.sock');
    instance.runAsTarget(['tmux', '-f', '/dev/null', '-S', sock, 'new-session', '-d', '-s', 'orc', 'sleep 600']);
    // By pid: once the socket is swapped, its name no longer reaches this server.
    const serverPid = Number(tmux(sock, ['display-message', '-p', '#{pid}']).trim());
    disposables.push(() => {
      try {
        process.kill(serverPid, 'SIGTERM');
      } catch {
        // Gone.
      }
      instance.dispose();
    });
    const target = createExternalTarget({ name: 'hostile', tmux: { socketPath: sock }, home: instance.dir, roots: [instance.dir] }, instance.targetFile);

    // The check passes on the target's own server.
    const first = await target.tmux!(['list-sessions', '-F', '#{session_name}']);
    expect(first.stdout.trim()).toBe('orc');

    // The target swaps its socket for a link to the victim (or its directory for a link to the victim's).
    if (swap === 'symlink') instance.runAsTarget(['sh', '-c', 'ln -s -- "$2" "$1.new" && mv -T -- "$1.new" "$1"', 'sh', sock, victim]);
    else instance.runAsTarget(['sh', '-c', 'mv -- "$1" "$1.moved" && ln -s -- "$2" "$1"', 'sh', sockDir, victimDir]);

    await expect(runTmux({ socketPath: sock }, ['kill-session', '-t', 'precious'])).rejects.toThrow(/refusing the tmux socket .*(symlink|changed)/);
    await expect(target.tmux!(['kill-server'])).rejects.toThrow(/refusing the tmux socket/);
    expect(tmux(victim, ['list-sessions', '-F', '#{session_name}']).trim()).toBe('precious');
    if (swap === 'directory symlink') instance.runAsTarget(['sh', '-c', 'rm -- "$1" && mv -- "$1.moved" "$1"', 'sh', sockDir]);
  }, 60_000);

  // The reference target's own lifecycle (status, steady state, stop's kill-server) reaches its server by path.
  test('the reference lifecycle’s tmux client cannot be pointed at a root server either', async () => {
    const victimDir = mkdtempSync(join(tmpdir(), 'faultline-victim-'));
    const victim = join(victimDir, 'work');
    tmux(victim, ['new-session', '-d', '-s', 'precious', 'sleep 600']);
    disposables.push(() => {
      try {
        tmux(victim, ['kill-server']);
      } catch {
        // Already gone (the failure this test looks for).
      }
      rmSync(victimDir, { recursive: true, force: true });
    });
    const instance = createHostileInstance();
    const sock = join(instance.dir, 'tmux.sock');
    instance.runAsTarget(['tmux', '-f', '/dev/null', '-S', sock, 'new-session', '-d', '-s', 'orc', 'sleep 600']);
    const serverPid = Number(tmux(sock, ['display-message', '-p', '#{pid}']).trim());
    disposables.push(() => {
      try {
        process.kill(serverPid, 'SIGTERM');
      } catch {
        // Gone.
      }
      instance.dispose();
    });
    // Its own server answers.
    expect((await runSocketTmux(sock, ['list-sessions', '-F', '#{session_name}'])).stdout.trim()).toBe('orc');
    instance.runAsTarget(['sh', '-c', 'ln -s -- "$2" "$1.new" && mv -T -- "$1.new" "$1"', 'sh', sock, victim]);
    const killed = await runSocketTmux(sock, ['kill-server']);
    expect(killed.exitCode).not.toBe(0);
    expect(tmux(victim, ['list-sessions', '-F', '#{session_name}']).trim()).toBe('precious');
  }, 60_000);

  test('no socket yet: a link planted between the check and tmux’s connect leads nowhere the target may not go', () => {
    const victimDir = mkdtempSync(join(tmpdir(), 'faultline-victim-'));
    const victim = join(victimDir, 'work');
    tmux(victim, ['new-session', '-d', '-s', 'precious', 'sleep 600']);
    const instance = createHostileInstance();
    disposables.push(() => {
      try {
        tmux(victim, ['kill-server']);
      } catch {
        // Already gone (the failure this test looks for).
      }
      rmSync(victimDir, { recursive: true, force: true });
      instance.dispose();
    });
    const sock = join(instance.dir, 'later.sock');
    const handle = openTmuxSocket({ socketPath: sock });
    handle.close();
    expect(handle.fd).toBeUndefined();
    expect(handle.uid).toBe(instance.uid);
    // The race, made deterministic: the link appears after the check, before the client connects.
    instance.runAsTarget(['ln', '-s', '--', victim, sock]);
    const killed = spawnSync('tmux', [...handle.args, 'kill-server'], { uid: handle.uid!, gid: handle.gid!, stdio: 'ignore' });
    expect(killed.status).not.toBe(0);
    expect(tmux(victim, ['list-sessions', '-F', '#{session_name}']).trim()).toBe('precious');
  }, 60_000);

  test('a socket of another owner in place of the recorded one is refused', async () => {
    const instance = createHostileInstance();
    const sock = join(instance.dir, 'tmux.sock');
    disposables.push(() => {
      try {
        tmux(sock, ['kill-server']);
      } catch {
        // Not running.
      }
      instance.dispose();
    });
    // The reference target records its server's uid; here the server at that path is root's.
    tmux(sock, ['new-session', '-d', '-s', 'root-owned', 'sleep 600']);
    await expect(runTmux({ socketPath: sock, ownerUid: instance.uid }, ['list-sessions'])).rejects.toThrow(/belongs to uid 0, not to the target's server/);
    expect(tmux(sock, ['list-sessions', '-F', '#{session_name}']).trim()).toBe('root-owned');
  }, 60_000);
});
