// tmux.inject-keys against a live reference orchestrator: what was typed reaches the agent's message log,
// a truncated message corrupts the next one, and the journal records exactly what was sent.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { buildInjectedText } from '../../src/faults/inject-text.js';
import type { ReferenceTarget } from '../../src/targets/reference/index.js';
import { disposeAll, injectFault, prepareFault, startTarget, waitFor } from './fault-steps.js';

let target: ReferenceTarget;
let log: string;
const lastLine = () => readFileSync(log, 'utf8').trimEnd().split('\n').at(-1)!.split('\t').slice(2).join('\t');

beforeAll(async () => {
  target = await startTarget();
  log = join(target.dir, 'agents', 'proj-a.log');
});
afterAll(disposeAll);

describe('tmux.inject-keys', () => {
  test('types seeded garbage into the agent pane; the agent logs exactly it; plan and rollback record it', async () => {
    const fault = await injectFault(target, { type: 'tmux.inject-keys', session: 'proj-a', window: 'Claude-Agent', seed: 42, bytes: 80 });
    const sent = buildInjectedText({ mode: 'garbage', seed: 42, bytes: 80 });
    expect(sent).toMatch(/^[\x21-\x7e]{80}$/);
    await waitFor('the agent to log the garbage', () => lastLine() === sent);
    expect((await fault.plan()).touches[0]).toContain(JSON.stringify(sent));
    expect(await fault.rollback()).toEqual({ ok: true, detail: expect.stringContaining(JSON.stringify(sent)) });
  });

  test('a truncated message without Enter is glued to the next message (message corruption)', async () => {
    await injectFault(target, { type: 'tmux.inject-keys', session: 'proj-a', window: 0, mode: 'truncated', text: 'deploy build 42 to staging now', enter: false });
    await target.tmux(['send-keys', '-t', '=proj-a:0', '-l', 'checkin 7', ';', 'send-keys', '-t', '=proj-a:0', 'Enter']);
    await waitFor('the glued line', () => lastLine().includes('checkin 7'));
    expect(lastLine()).toBe('deploy build 42checkin 7');
  });

  test('sends text literally, a trailing semicolon and leading dash included', async () => {
    await injectFault(target, { type: 'tmux.inject-keys', session: 'proj-a', window: 'Claude-Agent', mode: 'text', text: '-n rm -rf; echo done;' });
    await waitFor('the literal line', () => lastLine() === '-n rm -rf; echo done;');
  });

  test('refuses control characters (key presses, not text) and a pane that is not the target’s', async () => {
    await expect(prepareFault(target, { type: 'tmux.inject-keys', session: 'proj-a', window: 0, mode: 'text', text: 'a\u0003b' })).rejects.toThrow(/invalid fault params/);
    await expect(prepareFault(target, { type: 'tmux.inject-keys', session: 'nope', window: 0 })).rejects.toThrow(/^fault\.window: no window "nope:0"/);
    await expect(prepareFault(target, { type: 'tmux.inject-keys', session: 'proj-a', window: 0, mode: 'text' })).rejects.toThrow(/^fault\.text: mode text needs a non-empty text/);
  });
});
