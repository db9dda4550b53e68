// Root against an instance its own uid controls: target.json (which that uid can rewrite) never chooses
// what root runs or where it writes, and root's writes into the instance's dir (stop file, logs, pidfiles,
// target.json) never follow a link the uid planted there.
import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { describeReferenceTarget, getReferenceStatus, stopReference } from '../../../src/targets/reference/index.js';
import { readRecordedPids, spawnDetached, writePidFile } from '../../../src/targets/reference/processes.js';
import { writeReferenceState, type ReferenceState } from '../../../src/targets/reference/state.js';
import { writeFileAtomic } from '../../../src/util/files.js';
import { sha256File, startTracked, stopStarted } from './helpers.js';

const isRoot = process.getuid?.() === 0;
const hasSetpriv = (() => {
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const temps: string[] = [];

afterAll(stopStarted);
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function makeTemp(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

// A root-owned 0600 file outside every instance: nothing may change it.
function makeDecoy(): { path: string; read: () => string } {
  const dir = makeTemp('faultline-decoy-');
  const path = join(dir, 'victim');
  writeFileSync(path, 'root-only secret\n', { mode: 0o600 });
  const read = () => {
    const stats = statSync(path);
    return `${sha256File(path)} ${(stats.mode & 0o7777).toString(8)} ${stats.uid}:${stats.gid}`;
  };
  return { path, read };
}

// Runs a command as the instance's own uid, as a process in one of its panes would.
function asUid(uid: number, args: string[]): void {
  execFileSync('setpriv', [`--reuid=${uid}`, `--regid=${uid}`, '--clear-groups', '--', ...args], { stdio: 'ignore' });
}

describe('what root takes from target.json', () => {
  test('the target a run acts on keeps the instance dir, socket, env and data area, whatever target.json says', () => {
    const dir = makeTemp('faultline-ref-trust-');
    const state = {
      version: 1, kind: 'reference', dir: '/etc', socketPath: '/tmp/tmux-0/default', ownsDir: true, createdBy: { pid: 1, at: 0 },
      options: { heal: false, healDelayMs: 0, healIntervalMs: 100, projects: [], dataSizeMiB: 64, checkinIntervalMs: 1000, logMaxBytes: 1, tmpMaxFiles: 1, processBudget: 1, memoryBudgetMiB: 1 },
      nodePath: '/tmp/evil/node', scripts: { agent: '/tmp/evil/a', healthServer: '/tmp/evil/h', scheduler: '/tmp/evil/s', healer: '/tmp/evil/x' },
      env: { PATH: '/tmp/evilbin', LD_PRELOAD: '/tmp/evil.so' }, data: { path: '/', kind: 'directory', sizeBytes: 1e15 }, pids: {}, startedAt: 0,
    };
    writeFileSync(join(dir, 'target.json'), JSON.stringify(state));
    const target = describeReferenceTarget(dir);
    expect(target.roots).toEqual([dir]);
    expect(target.home).toBe(dir);
    expect(target.socket).toEqual({ socketPath: join(dir, 'tmux.sock') });
    expect(target.env.LD_PRELOAD).toBeUndefined();
    expect(target.env.PATH?.split(':')).not.toContain('/tmp/evilbin');
    expect(target.env.PATH?.split(':')[0]).toBe(join(dir, 'bin'));
    expect(target.dataAreas).toEqual([{ path: join(dir, 'data'), kind: 'directory', sizeBytes: 64 * 1024 * 1024 }]);
    expect(target.state.nodePath).toBe(process.execPath);
    expect(target.state.scripts.healer).not.toContain('/tmp/evil');
  });

  test('a target.json that is a FIFO or a link to /dev/zero neither blocks nor exhausts root: it is ignored', () => {
    for (const plant of ['fifo', 'zero'] as const) {
      const dir = makeTemp('faultline-ref-state-');
      if (plant === 'fifo') execFileSync('mkfifo', [join(dir, 'target.json')]);
      else symlinkSync('/dev/zero', join(dir, 'target.json'));
      const started = performance.now();
      const target = describeReferenceTarget(dir);
      expect(target.roots).toEqual([dir]);
      expect(target.state.createdBy.pid).toBe(0); // the fixed layout, nothing read from the file
      expect(performance.now() - started).toBeLessThan(3000);
    }
  });

  test('pidfiles in run/ that are a FIFO or a link to /dev/zero neither block nor exhaust stop: they name no pid', () => {
    const dir = makeTemp('faultline-ref-pids-');
    mkdirSync(join(dir, 'run'));
    execFileSync('mkfifo', [join(dir, 'run', 'healer.pid')]);
    symlinkSync('/dev/zero', join(dir, 'run', 'scheduler.pid'));
    writeFileSync(join(dir, 'run', 'tmux.pid'), '4242\n');
    const started = performance.now();
    expect(readRecordedPids(join(dir, 'run'))).toEqual([{ file: 'tmux.pid', pid: 4242 }]);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  test.skipIf(!isRoot || !hasSetpriv)("status and stop never run a tmux the instance's uid planted (target.json's PATH or its bin/) as root", async () => {
    const target = await startTracked({ heal: false });
    const uid = target.state.runAs!.uid;
    expect(uid).not.toBe(0);
    const marks = makeTemp('faultline-marks-');
    chmodSync(marks, 0o777);
    const fake = `#!/bin/sh\nid -u >> ${join(marks, 'ran-as')}\nexit 0\n`;
    // What the uid can do from a pane: a fake tmux in its own dir, named by a rewritten target.json and first on bin/.
    const statePath = join(target.dir, 'target.json');
    const planted = { ...(JSON.parse(readFileSync(statePath, 'utf8')) as ReferenceState) };
    planted.env = { ...planted.env, PATH: `${join(target.dir, 'evilbin')}:/usr/bin:/bin` };
    const script = join(marks, 'plant.sh');
    writeFileSync(script, `set -e\nmkdir -p "$1/evilbin"\nprintf '%s' "$2" > "$1/evilbin/tmux"\ncp "$1/evilbin/tmux" "$1/bin/tmux"\nchmod 755 "$1/evilbin/tmux" "$1/bin/tmux"\nprintf '%s' "$3" > "$1/target.json.new"\nmv "$1/target.json.new" "$1/target.json"\n`);
    chmodSync(script, 0o755);
    asUid(uid, ['/bin/sh', script, target.dir, fake, JSON.stringify(planted)]);
    expect(JSON.parse(readFileSync(statePath, 'utf8')).env.PATH).toContain('evilbin');

    expect((await getReferenceStatus(target.dir)).running).toBe(true);
    const report = await stopReference(target.dir);
    expect(report.complete).toBe(true);
    const ranAs = existsSync(join(marks, 'ran-as')) ? readFileSync(join(marks, 'ran-as'), 'utf8').split('\n').filter(Boolean) : [];
    expect(ranAs).not.toContain('0');
    expect(existsSync(target.dir)).toBe(false);
  });
});

describe('root writes into the instance dir', () => {
  test.skipIf(!isRoot || !hasSetpriv)("stop never writes through a run/stop or logs/orchestrator.log the instance's uid linked to a root file", async () => {
    const dir = join(makeTemp('faultline-keep-'), 'instance');
    const target = await startTracked({ heal: false, dir });
    const uid = target.state.runAs!.uid;
    const decoy = makeDecoy();
    const before = decoy.read();
    asUid(uid, ['ln', '-sf', decoy.path, join(target.dir, 'run', 'stop')]);
    asUid(uid, ['ln', '-sf', decoy.path, join(target.dir, 'logs', 'orchestrator.log')]);
    expect(lstatSync(join(target.dir, 'run', 'stop')).isSymbolicLink()).toBe(true);

    const report = await stopReference(target.dir);
    expect(report.complete).toBe(true);
    expect(decoy.read()).toBe(before);
    // The passed dir is kept; the links were replaced or left, never written through.
    expect(existsSync(target.dir)).toBe(true);
  });

  test('a pidfile is never written through a link at its name, its old predictable temp name, or a linked run/', () => {
    const dir = makeTemp('faultline-pidfile-');
    const decoy = makeDecoy();
    const before = decoy.read();
    mkdirSync(join(dir, 'run'));
    symlinkSync(decoy.path, join(dir, 'run', `tmux.pid.${process.pid}.tmp`));
    symlinkSync(decoy.path, join(dir, 'run', 'scheduler.pid'));
    writePidFile(join(dir, 'run', 'tmux.pid'), 4242);
    writePidFile(join(dir, 'run', 'scheduler.pid'), 4343);
    expect(readFileSync(join(dir, 'run', 'tmux.pid'), 'utf8')).toBe('4242\n');
    expect(lstatSync(join(dir, 'run', 'scheduler.pid')).isFile()).toBe(true);
    expect(decoy.read()).toBe(before);

    // run/ itself swapped for a link to the decoy's directory: refused, nothing lands there.
    rmSync(join(dir, 'run'), { recursive: true });
    symlinkSync(join(decoy.path, '..'), join(dir, 'run'));
    expect(() => writePidFile(join(dir, 'run', 'victim'), 4444)).toThrow(/symlink/);
    expect(() => writeReferenceState(join(dir, 'run', 'victim'), {} as ReferenceState)).toThrow(/symlink/);
    expect(decoy.read()).toBe(before);
  });

  test.skipIf(!isRoot)("a helper's output file linked to a root file is refused, not opened and chowned to the instance's uid", () => {
    const dir = makeTemp('faultline-spawn-');
    const decoy = makeDecoy();
    const before = decoy.read();
    symlinkSync(decoy.path, join(dir, 'scheduler.out'));
    expect(() =>
      spawnDetached(process.execPath, '-e', [''], { env: {}, logFile: join(dir, 'scheduler.out'), cwd: dir, runAs: { uid: 690_123, gid: 690_123, dedicated: false } }),
    ).toThrow(/symlink/);
    expect(decoy.read()).toBe(before);
  });

  test("writeFileAtomic's temp name is not predictable: a link at <path>.<pid>.tmp is not written through", () => {
    const dir = makeTemp('faultline-atomic-');
    const decoy = makeDecoy();
    const before = decoy.read();
    const path = join(dir, 'summary.json');
    symlinkSync(decoy.path, `${path}.${process.pid}.tmp`);
    writeFileAtomic(path, '{}\n');
    expect(readFileSync(path, 'utf8')).toBe('{}\n');
    expect(decoy.read()).toBe(before);
  });
});
