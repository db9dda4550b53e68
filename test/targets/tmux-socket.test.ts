import { linkSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { validateScenarioFiles } from '../../src/scenario/load.js';
import { openExternalTarget } from '../../src/targets/external.js';
import { getSocketArgs } from '../../src/targets/tmux.js';
import { isDefaultTmuxServer, resolveTmuxSocket } from '../../src/targets/tmux-socket.js';

// Nothing here starts or talks to a tmux server: the default socket is only named, never used.
const uid = process.getuid?.() ?? 0;
let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-socket-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

function writeTarget(tmux: string): string {
  const file = join(work, 'target.yaml');
  writeFileSync(file, `name: mine\ntmux: ${tmux}\nhome: ${work}\nroots: [${work}]\n`);
  return file;
}

const spellings = [
  `{ socketName: default }`,
  `{ socketPath: /tmp/tmux-${uid}/default }`,
  `{ socketPath: /tmp/tmux-${uid}//default }`,
  `{ socketPath: /tmp/tmux-${uid}/./default }`,
  `{ socketPath: "/tmp/../tmp/tmux-${uid}/default" }`,
  `{ socketPath: /tmp/tmux-4242/default }`,
  `{ socketName: ../tmux-${uid}/default }`,
  `{ socketName: ./default }`,
];

describe('the default tmux server, however it is spelled', () => {
  test.each(spellings)('a target file with tmux %s is refused', async (tmux) => {
    await expect(openExternalTarget(writeTarget(tmux))).rejects.toThrow(/default tmux server|cannot contain "\/"/);
  });

  test('a socketPath that is a symlink to the default socket is refused, even before that socket exists', async () => {
    const link = join(work, 'innocent.sock');
    symlinkSync(`/tmp/tmux-${uid}/default`, link);
    expect(isDefaultTmuxServer({ socketPath: link }, { env: {} })).toBe(true);
    await expect(openExternalTarget(writeTarget(`{ socketPath: ${link} }`))).rejects.toThrow(/default tmux server/);
  });

  test('a symlinked directory leading to tmux-<uid> is resolved', () => {
    const sandbox = join(work, 'sandbox');
    mkdirSync(join(sandbox, `tmux-${uid}`), { recursive: true });
    symlinkSync(join(sandbox, `tmux-${uid}`), join(work, 'dir-link'));
    const env = { TMUX_TMPDIR: sandbox };
    expect(resolveTmuxSocket({ socketPath: join(work, 'dir-link', 'default') }, { env })).toBe(join(sandbox, `tmux-${uid}`, 'default'));
    expect(isDefaultTmuxServer({ socketPath: join(work, 'dir-link', 'default') }, { env })).toBe(true);
  });

  test('the environment’s TMUX_TMPDIR default counts as a default server; a private tmpdir given by the target does not', () => {
    const sandbox = join(work, 'sandbox');
    const own = join(work, 'own');
    expect(isDefaultTmuxServer({ socketName: 'default' }, { env: { TMUX_TMPDIR: sandbox }, uid: 7 })).toBe(true);
    expect(isDefaultTmuxServer({ socketPath: join(sandbox, 'tmux-7', 'default') }, { env: { TMUX_TMPDIR: sandbox } })).toBe(true);
    expect(resolveTmuxSocket({ socketName: 'default', tmpdir: own }, { env: { TMUX_TMPDIR: sandbox }, uid: 7 })).toBe(join(own, 'tmux-7', 'default'));
    expect(isDefaultTmuxServer({ socketName: 'default', tmpdir: own }, { env: { TMUX_TMPDIR: sandbox }, uid: 7 })).toBe(false);
    expect(isDefaultTmuxServer({ socketPath: join(own, 'tmux-7', 'default') }, { env: {} })).toBe(false);
  });

  test('a hard link to a default socket is refused by its inode', () => {
    const sandbox = join(work, 'sandbox');
    mkdirSync(join(sandbox, `tmux-${uid}`), { recursive: true });
    writeFileSync(join(sandbox, `tmux-${uid}`, 'default'), '');
    linkSync(join(sandbox, `tmux-${uid}`, 'default'), join(work, 'other.sock'));
    expect(isDefaultTmuxServer({ socketPath: join(work, 'other.sock') }, { env: { TMUX_TMPDIR: sandbox } })).toBe(true);
    expect(isDefaultTmuxServer({ socketPath: join(work, 'other.sock') }, { env: {} })).toBe(false);
  });

  test('ordinary private sockets are accepted', async () => {
    expect(isDefaultTmuxServer({ socketName: 'faultline-test' }, { env: {} })).toBe(false);
    expect(isDefaultTmuxServer({ socketPath: join(work, 'default') }, { env: {} })).toBe(false);
    expect(isDefaultTmuxServer({ socketPath: `/tmp/tmux-${uid}/orchestrator` }, { env: {} })).toBe(false);
    await expect(openExternalTarget(writeTarget(`{ socketPath: ${join(work, 'orc.sock')} }`))).resolves.toMatchObject({ managed: false });
  });

  test('every tmux call refuses the default server, whoever built the socket', () => {
    expect(() => getSocketArgs({ socketPath: `/tmp/tmux-${uid}//default` })).toThrow(/default tmux server/);
    expect(() => getSocketArgs({ socketName: '../tmux-0/default' })).toThrow(/cannot contain/);
    expect(getSocketArgs({ socketName: 'faultline-x' })).toEqual(['-S', resolveTmuxSocket({ socketName: 'faultline-x' })]);
  });

  test('validate refuses a scenario whose target file names the default server, at its target field', async () => {
    writeTarget(`{ socketPath: /tmp/tmux-${uid}/./default }`);
    writeFileSync(join(work, 's.yaml'), 'id: s\ntitle: s\ntarget: target.yaml\nsteadyState:\n  - { probe: tmux.session, session: a }\nfault: { type: tmux.kill-server }\n');
    const result = await validateScenarioFiles([join(work, 's.yaml')]);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatch(/s\.yaml:3:9 target: .*default tmux server/);
  });
});
