// `faultline target up|status|down fleet`: a simulated fleet started from the CLI keeps running after the
// command exits, is described by status, and down removes everything (namespaces, sshd, keys, its dir).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';
import { listNamespaces } from '../../src/net/namespace.js';
import { getPackagePath } from '../../src/util/package-root.js';

const cli = getPackagePath('bin', 'faultline.js');
const work = mkdtempSync(join(tmpdir(), 'fl-fleet-cli-'));
const faultline = (args: string[]) => execa(process.execPath, [cli, ...args], { cwd: work, env: { ...process.env, FAULTLINE_STATE_DIR: join(work, '.faultline'), NO_COLOR: '1' }, reject: false, timeout: 120_000 });
let started: { dir: string; prefix: string; hosts: { sshdConfig: string }[] } | undefined;

afterAll(async () => {
  if (started && existsSync(started.dir)) await faultline(['target', 'down', 'fleet', '--dir', started.dir]);
  rmSync(work, { recursive: true, force: true });
}, 120_000);

function countProcessesMentioning(text: string): number {
  return readdirSync('/proc').filter((name) => /^\d+$/.test(name)).filter((pid) => {
    try {
      return !/^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8')) && readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(text);
    } catch {
      return false;
    }
  }).length;
}

describe('faultline target up|status|down fleet', () => {
  test('up starts two namespace-hosts that outlive the command; a fleet scenario validates; down leaves nothing', async () => {
    const up = await faultline(['target', 'up', 'fleet', '--hosts', '2', '--json']);
    expect(up.exitCode, up.stderr).toBe(0);
    started = JSON.parse(up.stdout) as typeof started;
    expect(started!.hosts).toHaveLength(2);
    expect(await listNamespaces(started!.prefix)).toEqual([`${started!.prefix}-h1`, `${started!.prefix}-h2`]);
    const status = await faultline(['target', 'status', 'fleet']);
    expect(status.stdout).toMatch(/h1 .* sshd running \(pid \d+\)/);
    expect(status.stdout).toMatch(/h2 .* sshd running \(pid \d+\)/);

    const scenario = join(work, 'fleet.yaml');
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(scenario, `id: fleet-validate\ntitle: t\nhosts: { inventory: ${join(started!.dir, 'inventory.yaml')}, group: fleet, percent: 50 }\nsteadyState: [{ probe: file.exists, path: data/service.conf }]\nfault: { type: config.delete, path: data/service.conf }\n`));
    const valid = await faultline(['validate', scenario]);
    expect(valid.exitCode, valid.stdout).toBe(0);
    const bad = join(work, 'bad.yaml');
    await import('node:fs').then(({ writeFileSync }) => writeFileSync(bad, `id: fleet-bad\ntitle: t\nhosts: { inventory: x.ini, pick: sometimes }\nsteadyState: [{ probe: file.exists, path: a }]\nfault: { type: config.delete, path: a }\n`));
    const invalid = await faultline(['validate', bad]);
    expect(invalid.exitCode).toBe(2);
    expect(invalid.stdout).toMatch(/hosts\.pick/);

    const down = await faultline(['target', 'down', 'fleet']);
    expect(down.exitCode, down.stderr).toBe(0);
    expect(await listNamespaces(started!.prefix)).toEqual([]);
    expect(existsSync(started!.dir)).toBe(false);
    for (const host of started!.hosts) expect(countProcessesMentioning(host.sshdConfig)).toBe(0);
  }, 240_000);
});
