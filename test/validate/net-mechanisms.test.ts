// validate and --dry-run on network faults: the dry run names the mechanism a fault will use (and what the
// kernel says about tc netem); with no usable nftables both refuse clearly, naming what to install.
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, test } from 'vitest';

const bin = join(import.meta.dirname, '..', '..', 'bin', 'faultline.js');
const dir = mkdtempSync(join(tmpdir(), 'faultline-net-mechanisms-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const scenario = (type: string, extra: string) => {
  const path = join(dir, `${type}.yaml`);
  writeFileSync(path, `id: ${type.replace('.', '-')}-check\ntitle: mechanism check\nsteadyState:\n  - { probe: tcp, port: 5432 }\nfault:\n  type: ${type}\n  to: { port: 5432 }\n${extra}`);
  return path;
};
const cli = (args: string[], env: Record<string, string> = {}) => execa(process.execPath, [bin, ...args], { reject: false, cwd: dir, env: { ...process.env, NO_COLOR: '1', FAULTLINE_STATE_DIR: join(dir, 'state'), ...env } });

describe('network fault mechanisms', () => {
  test('--dry-run names the mechanism of each network fault and what the kernel says about netem', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['net.partition', '', /mechanism: nftables — table inet fl_<intent> in the host namespace, 2 rule\(s\)/],
      ['net.loss', '  percent: 5\n', /mechanism: nftables \(numgen random\)/],
      ['net.latency', '  latencyMs: 50\n', /mechanism: userspace fault proxy — adds 50 ms each way; tc netem is (not available|not used)/],
      ['net.reset', '', /mechanism: userspace fault proxy — resets 100% of new connections at once/],
    ];
    // One file holding all four scenarios: one CLI start (they are slow on a busy host).
    const path = join(dir, 'all.yaml');
    writeFileSync(path, cases.map(([type, extra]) => `- id: ${type.replace('.', '-')}-all\n  title: mechanism check\n  steadyState:\n    - { probe: tcp, port: 5432 }\n  fault:\n    type: ${type}\n    to: { port: 5432 }\n${extra.replace(/^  /gm, '    ')}`).join(''));
    const result = await cli(['run', path, '--dry-run']);
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    for (const [, , expected] of cases) expect(result.stdout).toMatch(expected);
  });

  test('without a usable nft, validate refuses each network fault naming nftables, and a dry run refuses too', async () => {
    const fakeBin = join(dir, 'no-nft');
    rmSync(fakeBin, { recursive: true, force: true });
    mkdirSync(fakeBin, { recursive: true });
    writeFileSync(join(fakeBin, 'nft'), '#!/bin/sh\necho "nft: netlink: Operation not permitted" >&2\nexit 1\n');
    chmodSync(join(fakeBin, 'nft'), 0o755);
    const env = { PATH: `${fakeBin}:${process.env.PATH}` };
    const path = scenario('net.blackhole', '');
    const validated = await cli(['validate', path], env);
    expect(validated.exitCode).toBe(2);
    expect(validated.stdout + validated.stderr).toMatch(/fault\.type: no mechanism available for net\.blackhole on this host: .*install nftables \(apt-get install nftables\)/);
    const dry = await cli(['run', path, '--dry-run'], env);
    expect(dry.exitCode).toBe(2);
    expect(dry.stdout + dry.stderr).toMatch(/no mechanism available/);
  });
});
