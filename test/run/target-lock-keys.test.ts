// One run per target, whatever the target file is called: locks are keyed by what a target touches
// (canonical home, roots, tmux socket, supervisord config), in a lock directory the environment cannot
// move. Two copies (or a hard link) of one target file, or an external file whose home is a reference
// instance directory, are one target; a second run on it is refused (exit 2) naming the first.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, describe, expect, test } from 'vitest';
import { getTargetLockDir, getTargetLockKeys } from '../../src/run/target-lock.js';
import { readJournalTypes, waitForExit } from '../helpers/crash-harness.js';
import { canRunHostile } from '../helpers/hostile-target.js';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const cleanups: Array<() => void> = [];
afterEach(() => {
  for (const cleanup of cleanups.splice(0).reverse()) cleanup();
});

function createWork(): string {
  const work = mkdtempSync(join(tmpdir(), 'faultline-lock-keys-'));
  cleanups.push(() => rmSync(work, { recursive: true, force: true }));
  mkdirSync(join(work, 'home', 'config'), { recursive: true });
  writeFileSync(join(work, 'home', 'config', 'orchestrator.conf'), 'PROJECTS="alpha"\n');
  return work;
}

const targetYaml = (work: string, name: string) => `name: ${name}\ntmux: { socketPath: ${join(work, 'home', 'tmux.sock')} }\nhome: ${join(work, 'home')}\nroots: [${join(work, 'home')}]\n`;

describe('lock keys', () => {
  test('two copies and a hard link of one target file have the same keys', async () => {
    const work = createWork();
    writeFileSync(join(work, 'a.yaml'), targetYaml(work, 'a'));
    writeFileSync(join(work, 'b.yaml'), targetYaml(work, 'b'));
    linkSync(join(work, 'a.yaml'), join(work, 'c.yaml'));
    const a = await getTargetLockKeys({ driver: 'external', file: join(work, 'a.yaml') });
    expect(a).toContain(join(work, 'home'));
    expect(a).toContain(`tmux:${join(work, 'home', 'tmux.sock')}`);
    expect(await getTargetLockKeys({ driver: 'external', file: join(work, 'b.yaml') })).toEqual(a);
    expect(await getTargetLockKeys({ driver: 'external', file: join(work, 'c.yaml') })).toEqual(a);
  });

  test('an external file whose home is a reference instance shares that instance’s key', async () => {
    const work = createWork();
    writeFileSync(join(work, 'ext.yaml'), `name: ext\nhome: ${join(work, 'home')}\nroots: [${join(work, 'home')}]\n`);
    const reference = await getTargetLockKeys({ driver: 'reference', dir: join(work, 'home') });
    const external = await getTargetLockKeys({ driver: 'external', file: join(work, 'ext.yaml') });
    expect(reference.filter((key) => external.includes(key))).toEqual([join(work, 'home')]);
  });

  test('the lock directory does not follow $TMPDIR', () => {
    const saved = process.env.TMPDIR;
    try {
      process.env.TMPDIR = '/tmp/elsewhere-a';
      const first = getTargetLockDir();
      process.env.TMPDIR = '/tmp/elsewhere-b';
      expect(getTargetLockDir()).toBe(first);
      expect(first).not.toMatch(/elsewhere/);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  // As root the directory is /run/faultline/targets; a user's run must not follow its $TMPDIR either.
  test.skipIf(!canRunHostile())('as a user, the lock directory is fixed too', () => {
    const uid = 690_000 + Math.floor(Math.random() * 9_999);
    const dist = join(import.meta.dirname, '..', '..', 'dist', 'run', 'target-lock.js');
    const ask = (TMPDIR: string) =>
      execFileSync('setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', '--', process.execPath, '--input-type=module', '-e', `const m = await import(${JSON.stringify(dist)}); process.stdout.write(m.getTargetLockDir());`], { encoding: 'utf8', env: { ...process.env, TMPDIR } });
    expect(ask('/tmp/elsewhere-a')).toBe(`/tmp/faultline-targets-${uid}`);
    expect(ask('/tmp/elsewhere-b')).toBe(`/tmp/faultline-targets-${uid}`);
  });
});

describe('two runs on two copies of one target file', () => {
  test('the second exits 2 naming the first, and changes nothing', { timeout: 120_000 }, async () => {
    const work = createWork();
    const env = { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(work, 'state') };
    writeFileSync(join(work, 'a.yaml'), targetYaml(work, 'a'));
    writeFileSync(join(work, 'b.yaml'), targetYaml(work, 'b'));
    // In effect until interrupted: the probe fails while the config is broken.
    const scenario = (id: string, target: string, fault: string) => `id: ${id}\ntitle: ${id}\ntarget: ./${target}\nsteadyState:\n  - { probe: file.parses, path: config/orchestrator.conf, format: shell }\nfault: ${fault}\nruns: 1\ntimeoutMs: 60000\nstabilizeMs: 500\n`;
    writeFileSync(join(work, 'first.yaml'), scenario('first', 'a.yaml', '{ type: config.corrupt, path: config/orchestrator.conf, mode: random-bytes, seed: 7, bytes: 64 }'));
    writeFileSync(join(work, 'second.yaml'), scenario('second', 'b.yaml', '{ type: config.delete, path: config/orchestrator.conf }'));
    const config = join(work, 'home', 'config', 'orchestrator.conf');
    const hash = () => createHash('sha256').update(readFileSync(config)).digest('hex');
    const before = hash();

    const reports = join(work, 'reports-1');
    const first: ChildProcess = spawn(process.execPath, [bin, 'run', join(work, 'first.yaml'), '--reports', reports, '--quiet'], { cwd: work, env, stdio: ['ignore', 'pipe', 'pipe'] });
    cleanups.push(() => {
      if (first.exitCode === null && first.signalCode === null) first.kill('SIGKILL');
    });
    let output = '';
    first.stdout?.on('data', (chunk) => (output += String(chunk)));
    first.stderr?.on('data', (chunk) => (output += String(chunk)));
    const deadline = performance.now() + 60_000;
    while (!readJournalTypes(reports).includes('fault.inject')) {
      if (first.exitCode !== null) throw new Error(`the first run ended (${first.exitCode}) before its fault was in effect:\n${output}`);
      if (performance.now() > deadline) throw new Error(`no fault in effect within 60 s:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const corrupted = hash();
    expect(corrupted).not.toBe(before);

    const second = await execa(process.execPath, [bin, 'run', join(work, 'second.yaml'), '--reports', join(work, 'reports-2'), '--quiet'], { cwd: work, env, reject: false, timeout: 60_000, stdin: 'ignore' });
    expect(second.exitCode, String(second.stdout) + String(second.stderr)).toBe(2);
    expect(String(second.stderr)).toContain(`is in use by another faultline process: pid ${first.pid}`);
    expect(hash()).toBe(corrupted);
    expect(existsSync(join(work, 'reports-2'))).toBe(false);

    first.kill('SIGINT');
    expect((await waitForExit(first)).code, output).toBe(3);
    expect(hash()).toBe(before);
  });
});
