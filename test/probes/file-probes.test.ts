import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { appendFileSync, closeSync, constants, mkdirSync, openSync, mkdtempSync, renameSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Trigger } from '../../src/measure/sources/trigger.js';
import { monotonicMs, sleep } from '../../src/util/clock.js';
import { check, createSandbox, until, type Sandbox } from './helpers.js';

let sandbox: Sandbox;
const file = (name: string) => join(sandbox.dir, name);
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

beforeEach(() => {
  sandbox = createSandbox();
  mkdirSync(file('conf'));
});
afterEach(() => sandbox.dispose());

describe('file probes (real files in a temp dir)', () => {
  test('file.exists tells files from directories and is triggered by fs.watch when the file appears', async () => {
    const [any, dir, asFile] = sandbox.probes([
      { probe: 'file.exists', path: 'conf/app.conf' },
      { probe: 'file.exists', path: 'conf', kind: 'directory' },
      { probe: 'file.exists', path: 'conf', kind: 'file' },
    ]);
    expect(await check(any!)).toEqual({ ok: false, detail: 'conf/app.conf missing' });
    expect(await check(dir!)).toEqual({ ok: true });
    expect(await check(asFile!)).toEqual({ ok: false, detail: 'conf is not a regular file' });
    const triggers: Trigger[] = [];
    any!.probe.watch!((trigger) => triggers.push(trigger));
    const before = monotonicMs();
    writeFileSync(file('conf/app.conf'), 'x=1\n');
    await until('an fs.watch trigger', () => triggers.length > 0);
    expect(triggers[0]).toMatchObject({ source: 'fs.watch', boundMs: 2 });
    expect(triggers[0]!.at! - before).toBeLessThan(100);
    expect(await check(any!)).toEqual({ ok: true });
  });

  test('file.hash passes on the expected content only, even for a same-size rewrite right after a check', async () => {
    writeFileSync(file('conf/app.conf'), 'port=8080\n');
    const [hash] = sandbox.probes([{ probe: 'file.hash', path: 'conf/app.conf', sha256: sha256('port=8080\n') }]);
    expect(await check(hash!)).toEqual({ ok: true });
    writeFileSync(file('conf/app.conf'), 'port=9090\n');
    expect(await check(hash!)).toMatchObject({ ok: false, detail: expect.stringContaining('sha256') });
    rmSync(file('conf/app.conf'));
    expect(await check(hash!)).toMatchObject({ ok: false, detail: 'cannot read conf/app.conf: ENOENT' });
  });

  test('file.parses checks shell (bash -n), JSON, YAML and INI', async () => {
    const cases: [string, string, string, boolean][] = [
      ['a.conf', 'shell', 'NAME="x"\nif true; then echo ok; fi\n', true],
      ['b.conf', 'shell', 'if true; then\n', false],
      ['c.json', 'json', '{"a": 1}', true],
      ['d.json', 'json', '{"a": ', false],
      ['e.yaml', 'yaml', 'a: [1, 2]\n', true],
      ['f.yaml', 'yaml', 'a: [1, 2\n', false],
      ['g.ini', 'ini', '[main]\nkey=value\n; comment\n', true],
      ['h.ini', 'ini', '[main]\nnot a pair\n', false],
    ];
    for (const [name, , text] of cases) writeFileSync(file(`conf/${name}`), text);
    const probes = sandbox.probes(cases.map(([name, format]) => ({ probe: 'file.parses', path: `conf/${name}`, format })));
    const results = await Promise.all(probes.map((probe) => check(probe)));
    expect(results.map((result) => result.ok)).toEqual(cases.map(([, , , ok]) => ok));
    expect(results[1]!.detail).toMatch(/does not parse as shell/);
  });

  test('file.parses and file.hash read bounded regular files only, never block on a FIFO, and never quote the file', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'faultline-secret-'));
    try {
      const secret = 'root:$6$SECRETHASH:19000:0:99999:7:::';
      const secrets: Array<[string, string, string]> = [
        ['json', 'app.json', `${secret}\n`],
        ['json', 'late.json', `{"a": 1, ${secret}}`],
        ['yaml', 'app.yaml', `a: [${secret}\nb: "c\n`],
        ['shell', 'app.sh', `if ${secret} then\n  fi fi )\n`],
      ];
      for (const [, name, text] of secrets) {
        writeFileSync(join(outside, name), text);
        symlinkSync(join(outside, name), file(`conf/${name}`));
      }
      symlinkSync('/dev/zero', file('conf/zero.json'));
      execFileSync('mkfifo', [file('conf/fifo.json')]);
      const probes = sandbox.probes([
        ...secrets.map(([format, name]) => ({ probe: 'file.parses', path: `conf/${name}`, format })),
        { probe: 'file.parses', path: 'conf/zero.json', format: 'json' },
        { probe: 'file.parses', path: 'conf/fifo.json', format: 'json' },
        { probe: 'file.hash', path: 'conf/zero.json', sha256: sha256('') },
        { probe: 'file.hash', path: 'conf/fifo.json', sha256: sha256('') },
      ]);
      const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('a probe blocked or read without bound')), 5000));
      const results = await Promise.race([Promise.all(probes.map((probe) => check(probe))), timeout]);
      for (const result of results) expect(result.ok).toBe(false);
      for (const result of results.slice(0, secrets.length)) {
        expect(result.detail).toMatch(/does not parse as/);
        expect(result.detail).not.toMatch(/SECRET|root:|\$6\$/);
      }
      expect(results[1]!.detail).toMatch(/line 1, column \d+/);
      for (const result of results.slice(secrets.length)) expect(result.detail).toMatch(/cannot read conf\/(zero|fifo)\.json: not a regular file/);
    } finally {
      // Releases a reader stuck opening the FIFO (the old behaviour), so the worker can exit.
      try {
        closeSync(openSync(file('conf/fifo.json'), constants.O_WRONLY | constants.O_NONBLOCK));
      } catch {
        // No reader waiting.
      }
      rmSync(outside, { recursive: true, force: true });
    }
  });

  test('file.parses notices a corruption written in the same clock tick as its last read', async () => {
    writeFileSync(file('conf/app.json'), '{"a": 1}');
    const [parses] = sandbox.probes([{ probe: 'file.parses', path: 'conf/app.json', format: 'json' }]);
    expect((await check(parses!)).ok).toBe(true);
    writeFileSync(file('conf/app.json'), '{"a": }');
    expect((await check(parses!)).ok).toBe(false);
  });

  test('file.fresh fails once the heartbeat is older than maxAgeMs and announces that moment in advance', async () => {
    writeFileSync(file('beat'), '1');
    const [fresh] = sandbox.probes([{ probe: 'file.fresh', path: 'beat', maxAgeMs: 80 }]);
    const result = await fresh!.probe.check();
    expect(result.ok).toBe(true);
    expect(result.recheckAt! - monotonicMs()).toBeGreaterThan(0);
    expect(result.recheckAt! - monotonicMs()).toBeLessThanOrEqual(80);
    await sleep(result.recheckAt! - monotonicMs() + 2);
    expect(await check(fresh!)).toMatchObject({ ok: false, detail: expect.stringMatching(/last written \d+ ms ago/) });
    const past = new Date(Date.now() - 10_000);
    utimesSync(file('beat'), past, past);
    expect((await check(fresh!)).ok).toBe(false);
  });

  test('log.match sees lines appended after it started, follows rotation, and supports withinMs and invert', async () => {
    writeFileSync(file('app.log'), 'READY from an earlier run\n');
    const [ready, heartbeat, errors] = sandbox.probes([
      { probe: 'log.match', path: 'app.log', matches: 'READY' },
      { probe: 'log.match', path: 'app.log', matches: 'tick', withinMs: 60 },
      { probe: 'log.match', path: 'app.log', matches: 'ERROR', invert: true },
    ]);
    expect((await check(ready!)).ok).toBe(false);
    expect((await check(errors!)).ok).toBe(true);
    appendFileSync(file('app.log'), 'tick\nREA');
    expect((await check(ready!)).ok).toBe(false);
    appendFileSync(file('app.log'), 'DY\n');
    expect((await check(ready!)).ok).toBe(true);
    const beat = await heartbeat!.probe.check();
    expect(beat.ok).toBe(true);
    await sleep(beat.recheckAt! - monotonicMs() + 2);
    expect((await check(heartbeat!)).ok).toBe(false);
    // Rotation: the log is renamed away and a new one starts; its lines are read from the beginning.
    renameSync(file('app.log'), file('app.log.1'));
    writeFileSync(file('app.log'), 'ERROR disk full\n');
    expect(await check(errors!)).toMatchObject({ ok: false, detail: expect.stringContaining('a line matched /ERROR/') });
  });
});
