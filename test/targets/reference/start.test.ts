// startReference for real: the upstream layout on its own socket, the agent REPL, option checks.
import { execa } from 'execa';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { startReference } from '../../../src/targets/reference/index.js';
import { isAlive, isAnythingMountedUnder, listWindows, readEvents, readNumber, startTracked, stopStarted, tmuxOn, waitFor } from './helpers.js';

afterAll(stopStarted);

describe('startReference', () => {
  afterEach(stopStarted);

  test('starts a steady instance with the upstream layout on its own socket, quickly', async () => {
    const before = performance.now();
    const target = await startTracked({ checkinIntervalMs: 100 });
    const startMs = performance.now() - before;
    expect(startMs).toBeLessThan(5000);

    const socket = target.socket.socketPath!;
    expect(socket).toBe(join(target.dir, 'tmux.sock'));
    expect(await listWindows(socket)).toEqual({ 'tmux-orc': ['Orchestrator'], 'proj-a': ['Claude-Agent', 'Shell', 'Dev-Server'] });
    expect(await tmuxOn(socket, ['show-options', '-gv', 'remain-on-exit'])).toBe('off');
    for (const pane of ['tmux-orc:0', 'proj-a:0']) {
      expect(await tmuxOn(socket, ['display-message', '-p', '-t', pane, '#{pane_current_command}'])).toBe('node');
      expect(await tmuxOn(socket, ['capture-pane', '-p', '-t', pane])).toContain('ready');
    }

    const port = readNumber(join(target.dir, 'run', 'proj-a.health.port'));
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    expect([health.status, await health.text()]).toEqual([200, 'ok']);

    const config = join(target.dir, 'config', 'orchestrator.conf');
    expect((await execa('bash', ['-n', config], { reject: false })).exitCode).toBe(0);
    expect(readFileSync(config, 'utf8')).toContain('PROJECTS="proj-a"');
    expect(readFileSync(join(target.dir, 'config', '.last-known-good', 'orchestrator.conf'))).toEqual(readFileSync(config));

    const registry = JSON.parse(readFileSync(join(target.dir, 'registry', 'sessions.json'), 'utf8'));
    expect(registry.sessions.map((session: { name: string }) => session.name).sort()).toEqual(['proj-a', 'tmux-orc']);

    for (const name of ['scheduler', 'healer']) expect(isAlive(readNumber(join(target.dir, 'run', `${name}.pid`)))).toBe(true);
    await waitFor('a scheduler check-in in the orchestrator agent log', () => existsSync(join(target.dir, 'agents', 'tmux-orc.log')) && readFileSync(join(target.dir, 'agents', 'tmux-orc.log'), 'utf8').includes('\tcheckin 1 '));

    const state = JSON.parse(readFileSync(join(target.dir, 'target.json'), 'utf8'));
    expect(state.data.kind).toBe(process.getuid?.() === 0 ? 'tmpfs' : 'directory');
    expect(isAnythingMountedUnder(target.dir)).toBe(state.data.kind === 'tmpfs');
    expect(target).toMatchObject({ driver: 'reference', home: target.dir, roots: [target.dir], signalsPath: join(target.dir, 'healer', 'events.jsonl') });
    expect(target.env.PATH?.startsWith(join(target.dir, 'bin'))).toBe(true);
    expect(readEvents(target.signalsPath)).toEqual([]);
  });

  test('the agent logs each line with a sequence number and answers ACK', async () => {
    const target = await startTracked({ heal: false });
    const socket = target.socket.socketPath!;
    await tmuxOn(socket, ['send-keys', '-t', 'proj-a:0', '-l', 'hello\tthere']);
    await tmuxOn(socket, ['send-keys', '-t', 'proj-a:0', 'Enter']);
    const log = join(target.dir, 'agents', 'proj-a.log');
    const line = await waitFor('the logged line', () => (existsSync(log) && readFileSync(log, 'utf8').split('\n')[0]) || undefined);
    const [seq, t, ...text] = line.split('\t');
    expect(seq).toBe('1');
    expect(Number(t)).toBeGreaterThan(Date.now() - 60_000);
    expect(t).toMatch(/\.\d{3}$/);
    expect(text.join('\t')).toBe('hello\tthere');
    await waitFor('ACK 1 in the pane', async () => (await tmuxOn(socket, ['capture-pane', '-p', '-t', 'proj-a:0']))?.includes('ACK 1'));
  });

  test('rejects bad options with the option name, and a dir that holds something else', async () => {
    await expect(startReference({ healIntervalMs: 0 })).rejects.toThrow(/healIntervalMs: expected an integer from 10/);
    await expect(startReference({ projects: ['tmux-orc'] })).rejects.toThrow(/projects/);
    const foreign = mkdtempSync(join(tmpdir(), 'faultline-foreign-'));
    writeFileSync(join(foreign, 'notes.txt'), 'mine');
    try {
      await expect(startReference({ dir: foreign })).rejects.toThrow(/not empty and holds no reference orchestrator/);
      expect(readFileSync(join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
    } finally {
      rmSync(foreign, { recursive: true, force: true });
    }
  });
});
