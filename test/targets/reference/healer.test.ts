// The healer for real: each kind of damage is detected and repaired, with events.jsonl as the record.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { getReferenceStatus, type ReferenceTarget } from '../../../src/targets/reference/index.js';
import { getPanePid, isAlive, listWindows, readEvents, readNumber, startTracked, stopStarted, tmuxOn, waitFor } from './helpers.js';

afterAll(stopStarted);

describe('the healer', () => {
  let target: ReferenceTarget;
  let socket: string;

  beforeAll(async () => {
    target = await startTracked();
    socket = target.socket.socketPath!;
  });
  afterEach(async () => {
    await waitFor('the instance to be healthy again', async () => (await getReferenceStatus(target.dir)).healthy);
  });

  test('re-creates a killed tmux-orc session and logs detect then repair', async () => {
    const killedAt = performance.timeOrigin + performance.now();
    expect(await tmuxOn(socket, ['kill-session', '-t', 'tmux-orc'])).toBeDefined();
    await waitFor('tmux-orc to come back', async () => (await listWindows(socket))['tmux-orc']?.includes('Orchestrator'));
    await waitFor('the repair event', () => readEvents(target.signalsPath).some((event) => event.event === 'repair'));
    const events = readEvents(target.signalsPath).filter((event) => event.subject === 'tmux-orc');
    expect(events.map((event) => [event.event, event.component])).toEqual([
      ['detect', 'session'],
      ['repair', 'session'],
    ]);
    expect(events[0]!.t).toBeGreaterThanOrEqual(killedAt);
    expect(events[1]!.t).toBeGreaterThanOrEqual(events[0]!.t);
    expect(events[1]!.t - killedAt).toBeLessThan(5000);
    await waitFor('the new orchestrator agent to be ready', async () => (await tmuxOn(socket, ['capture-pane', '-p', '-t', 'tmux-orc:0']))?.includes('ready'));
  });

  test('brings back a killed agent, whose sequence numbers continue', async () => {
    const log = join(target.dir, 'agents', 'proj-a.log');
    await tmuxOn(socket, ['send-keys', '-t', 'proj-a:0', 'before crash', 'Enter']);
    await waitFor('the first line', () => existsSync(log) && readFileSync(log, 'utf8').includes('before crash'));
    const firstSeq = Number(readFileSync(log, 'utf8').trim().split('\n').pop()!.split('\t')[0]);

    const oldPid = await getPanePid(socket, 'proj-a:0');
    process.kill(oldPid, 'SIGKILL'); // the agent is a process this test's instance started
    const newPid = await waitFor('a new agent in proj-a:0', async () => {
      const pid = await getPanePid(socket, 'proj-a:0').catch(() => 0);
      return pid && pid !== oldPid && existsSync(join(target.dir, 'run', 'proj-a.agent.pid')) && readNumber(join(target.dir, 'run', 'proj-a.agent.pid')) === pid ? pid : 0;
    });
    expect(isAlive(oldPid)).toBe(false);
    expect(isAlive(newPid)).toBe(true);

    await tmuxOn(socket, ['send-keys', '-t', 'proj-a:0', 'after crash', 'Enter']);
    await waitFor('the second line', () => readFileSync(log, 'utf8').includes('after crash'));
    expect(readFileSync(log, 'utf8').trim().split('\n').pop()!.split('\t')[0]).toBe(String(firstSeq + 1));
    const events = readEvents(target.signalsPath).filter((event) => event.subject === 'proj-a:Claude-Agent');
    expect(events.map((event) => event.event)).toEqual(['detect', 'repair']);
    expect(events[0]!.detail).toContain(`agent pid ${oldPid} gone`);
  });

  test('respawns an agent pane that runs something else', async () => {
    await tmuxOn(socket, ['respawn-pane', '-k', '-t', 'tmux-orc:0', 'bash', '--norc']);
    await waitFor('an agent repair event', () => readEvents(target.signalsPath).some((event) => event.component === 'agent' && event.subject === 'tmux-orc:Orchestrator' && event.event === 'repair'));
    await waitFor('node back in tmux-orc:0', async () => (await tmuxOn(socket, ['display-message', '-p', '-t', 'tmux-orc:0', '#{pane_current_command}'])) === 'node');
  });

  test('restores a corrupted config byte for byte from last-known-good', async () => {
    const config = join(target.dir, 'config', 'orchestrator.conf');
    const original = readFileSync(config);
    writeFileSync(config, 'PROJECTS="proj-a\nif then (\n');
    await waitFor('the config to be restored', () => readFileSync(config).equals(original));
    await waitFor('the config repair event', () => readEvents(target.signalsPath).some((event) => event.component === 'config' && event.event === 'repair'));
    const events = readEvents(target.signalsPath).filter((event) => event.component === 'config');
    expect(events.map((event) => event.event)).toEqual(['detect', 'repair']);
    expect(events[0]!.detail).toContain('bash -n');
  });

  test('restores a config that still parses but lost a key', async () => {
    const config = join(target.dir, 'config', 'orchestrator.conf');
    const original = readFileSync(config);
    writeFileSync(config, original.toString('utf8').replace(/^TMP_MAX_FILES=.*\n/m, ''));
    await waitFor('the config to be restored', () => readFileSync(config).equals(original));
    await waitFor('the repair event', () => readEvents(target.signalsPath).filter((event) => event.component === 'config' && event.event === 'repair').length === 2);
    expect(readEvents(target.signalsPath).filter((event) => event.component === 'config').at(-2)?.detail).toBe('TMP_MAX_FILES is missing');
  });

  test('restarts a killed scheduler, prunes temp files and rotates the log', async () => {
    const schedulerPid = readNumber(join(target.dir, 'run', 'scheduler.pid'));
    process.kill(schedulerPid, 'SIGKILL');
    for (let index = 0; index < 110; index++) writeFileSync(join(target.dir, 'tmp', `t${index}`), '');
    writeFileSync(join(target.dir, 'logs', 'orchestrator.log'), 'x'.repeat(1024 * 1024 + 1), { flag: 'a' });
    await waitFor('scheduler, tmp and log repairs', () => {
      const repaired = new Set(readEvents(target.signalsPath).filter((event) => event.event === 'repair').map((event) => event.component));
      return repaired.has('scheduler') && repaired.has('tmp') && repaired.has('log');
    });
    expect(readNumber(join(target.dir, 'run', 'scheduler.pid'))).not.toBe(schedulerPid);
    // The healer may prune while files are still being written; it settles at TMP_MAX_FILES.
    await waitFor('tmp/ pruned to 100 files', () => readdirSync(join(target.dir, 'tmp')).length === 100);
    expect(existsSync(join(target.dir, 'logs', 'orchestrator.log.1'))).toBe(true);
  });

  test('re-creates the whole layout after kill-server', async () => {
    await tmuxOn(socket, ['kill-server']);
    await waitFor('the layout to come back', async () => Object.keys(await listWindows(socket)).length === 2);
    await waitFor('the server repair event', () => readEvents(target.signalsPath).some((event) => event.component === 'server' && event.event === 'repair'));
    const server = readEvents(target.signalsPath).filter((event) => event.component === 'server');
    expect(server.map((event) => event.event)).toEqual(['detect', 'repair']);
  });
});

describe('healer options', () => {
  afterEach(stopStarted);

  test('runs no healer and repairs nothing, like upstream', async () => {
    const target = await startTracked({ heal: false });
    const socket = target.socket.socketPath!;
    expect(existsSync(join(target.dir, 'run', 'healer.pid'))).toBe(false);
    await tmuxOn(socket, ['kill-session', '-t', 'tmux-orc']);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(Object.keys(await listWindows(socket))).toEqual(['proj-a']);
    expect(readEvents(target.signalsPath)).toEqual([]);
    const status = await getReferenceStatus(target.dir);
    expect(status).toMatchObject({ running: true, healthy: false, missing: ['tmux-orc'], heal: { enabled: false, alive: false } });
  });

  test('healDelayMs puts a known delay between detection and repair', async () => {
    const target = await startTracked({ healDelayMs: 300 });
    await tmuxOn(target.socket.socketPath!, ['kill-window', '-t', 'proj-a:Shell']);
    await waitFor('the repair event', () => readEvents(target.signalsPath).some((event) => event.event === 'repair'));
    const [detect, repair] = readEvents(target.signalsPath);
    expect([detect?.event, repair?.event, repair?.subject]).toEqual(['detect', 'repair', 'proj-a:Shell']);
    expect(repair!.t - detect!.t).toBeGreaterThanOrEqual(300);
    expect(repair!.t - detect!.t).toBeLessThan(2000);
  });
});
