import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Trigger } from '../../src/measure/sources/trigger.js';
import { check, createSandbox, until, type Sandbox } from './helpers.js';

let sandbox: Sandbox;

beforeEach(async () => {
  sandbox = createSandbox();
  const created = await sandbox.tmux([
    'new-session', '-d', '-s', 'work', '-n', 'agent', 'sh -c "echo agent-ready; exec sleep 600"', ';',
    'new-window', '-d', '-t', '=work:', '-n', 'shell', 'sleep 600', ';',
    'new-session', '-d', '-s', 'work-2', 'sleep 600',
  ]);
  expect(created.exitCode).toBe(0);
});
afterEach(() => sandbox.dispose());

describe('tmux probes (through one control-mode client, on a private socket)', () => {
  test('tmux.session matches the session name exactly and fails once it is killed', async () => {
    const [work, missing] = sandbox.probes([{ probe: 'tmux.session', session: 'work' }, { probe: 'tmux.session', session: 'wor' }]);
    expect(await check(work!)).toMatchObject({ ok: true });
    expect(await check(missing!)).toMatchObject({ ok: false, detail: 'session wor missing' });
    await sandbox.tmux(['kill-session', '-t', '=work']);
    expect(await check(work!)).toMatchObject({ ok: false, detail: 'session work missing' });
  });

  test('tmux.window finds a window by name or index and fails when it is killed', async () => {
    const [byName, byIndex] = sandbox.probes([{ probe: 'tmux.window', session: 'work', window: 'shell' }, { probe: 'tmux.window', session: 'work', window: 1 }]);
    expect(await check(byName!)).toMatchObject({ ok: true });
    expect(await check(byIndex!)).toMatchObject({ ok: true });
    await sandbox.tmux(['kill-window', '-t', '=work:shell']);
    expect(await check(byName!)).toMatchObject({ ok: false, detail: 'window work:shell missing' });
    expect((await check(byIndex!)).ok).toBe(false);
  });

  test('tmux.pane-alive fails for a dead pane and for an unexpected command', async () => {
    await sandbox.tmux(['set-option', '-g', '-w', 'remain-on-exit', 'on', ';', 'new-window', '-d', '-t', '=work:', '-n', 'brief', 'true']);
    const [alive, wrongCommand, dead] = sandbox.probes([
      { probe: 'tmux.pane-alive', session: 'work', window: 'shell', commandMatches: '^sleep$' },
      { probe: 'tmux.pane-alive', session: 'work', window: 'shell', commandMatches: '^node$' },
      { probe: 'tmux.pane-alive', session: 'work', window: 'brief' },
    ]);
    expect(await check(alive!)).toEqual({ ok: true });
    expect(await check(wrongCommand!)).toMatchObject({ ok: false, detail: expect.stringMatching(/runs "sleep", not \/\^node\$\//) });
    await until('the brief pane to die', async () => (await check(dead!)).detail?.includes('is dead') ?? false);
  });

  test('tmux.pane-text matches the pane’s last lines', async () => {
    const [ready, other] = sandbox.probes([
      { probe: 'tmux.pane-text', session: 'work', window: 'agent', matches: '^agent-ready$' },
      { probe: 'tmux.pane-text', session: 'work', window: 0, matches: 'never shown', lines: 5 },
    ]);
    await until('the agent text', async () => (await check(ready!)).ok);
    expect(await check(other!)).toMatchObject({ ok: false, detail: expect.stringContaining('does not match /never shown/') });
    await sandbox.tmux(['kill-window', '-t', '=work:agent']);
    expect(await check(ready!)).toMatchObject({ ok: false, detail: 'window work:agent missing' });
  });

  test('tmux probes are event-driven: a killed window triggers them at once', async () => {
    const [window] = sandbox.probes([{ probe: 'tmux.window', session: 'work', window: 'shell' }]);
    expect(window!.events).toBe(true);
    expect(window!.intervalMs).toBe(500);
    await check(window!);
    const triggers: Trigger[] = [];
    const unwatch = window!.probe.watch!((trigger) => triggers.push(trigger));
    const before = performance.now();
    await sandbox.tmux(['kill-window', '-t', '=work:shell']);
    await until('a trigger', () => triggers.some((trigger) => trigger.at !== null && trigger.at > before));
    unwatch();
  });

  test('a window’s or session’s disappearance is pinned to the notification that names it', async () => {
    const [window, session] = sandbox.probes([{ probe: 'tmux.window', session: 'work', window: 'shell' }, { probe: 'tmux.session', session: 'work-2' }]);
    const unwatch = window!.probe.watch!(() => undefined);
    const since = performance.now();
    expect((await window!.probe.check({ since })).ok).toBe(true);
    expect((await session!.probe.check({ since })).ok).toBe(true);
    const issued = performance.now();
    await sandbox.tmux(['kill-window', '-t', '=work:shell', ';', 'kill-session', '-t', '=work-2']);
    const returned = performance.now();
    await until('both gone', async () => !(await window!.probe.check({ since })).ok && !(await session!.probe.check({ since })).ok);
    for (const probe of [window!, session!]) {
      const { changedWithin } = await probe.probe.check({ since });
      expect(changedWithin!.before).toBeGreaterThan(issued);
      expect(changedWithin!.before).toBeLessThan(returned + 50);
      expect(changedWithin!.before - changedWithin!.after).toBeGreaterThanOrEqual(1);
    }
    // Events from before `since` explain nothing.
    expect((await window!.probe.check({ since: performance.now() })).changedWithin).toBeUndefined();
    unwatch();
  });

  test('with events: false a tmux probe is polled at the scenario’s interval', () => {
    const [window] = sandbox.probes([{ probe: 'tmux.window', session: 'work', window: 'shell', events: false }], 40);
    expect(window).toMatchObject({ events: false, intervalMs: 40 });
  });

  test('without a server every tmux probe fails and says so', async () => {
    await sandbox.tmux(['kill-server']);
    await until('the server to exit', async () => (await sandbox.tmux(['list-sessions'])).exitCode !== 0);
    const [session] = sandbox.probes([{ probe: 'tmux.session', session: 'work' }]);
    expect(await check(session!)).toMatchObject({ ok: false, detail: expect.stringMatching(/no (tmux )?server running/) });
  });
});
