import { appendFileSync, chmodSync, mkdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { Trigger } from '../../src/measure/sources/trigger.js';
import { check, createSandbox, until, type Sandbox } from './helpers.js';
import { explainProbe } from './validation.js';

let sandbox: Sandbox;
const file = (name: string) => join(sandbox.dir, name);

beforeEach(() => {
  sandbox = createSandbox();
  mkdirSync(file('config'));
  writeFileSync(file('config/app.conf'), 'A=1\n');
  chmodSync(file('config/app.conf'), 0o644);
});
afterEach(() => sandbox.dispose());

describe('file.stat (real files and real chmod in a temp dir)', () => {
  test('modeForbids fails while any of its bits is set, naming them', async () => {
    const [notWritable] = sandbox.probes([{ probe: 'file.stat', path: 'config/app.conf', modeForbids: '022' }]);
    expect(await check(notWritable!)).toEqual({ ok: true });
    chmodSync(file('config/app.conf'), 0o666);
    expect(await check(notWritable!)).toEqual({ ok: false, detail: 'config/app.conf mode 0666: group/other write bits 022 set (modeForbids 022)' });
    chmodSync(file('config/app.conf'), 0o664);
    expect(await check(notWritable!)).toEqual({ ok: false, detail: 'config/app.conf mode 0664: group write bit 020 set (modeForbids 022)' });
    chmodSync(file('config/app.conf'), 0o4755);
    expect(await check(notWritable!)).toEqual({ ok: true });
  });

  test('modeRequires fails while any of its bits is missing (the mode, not what root could read)', async () => {
    const [readable] = sandbox.probes([{ probe: 'file.stat', path: 'config/app.conf', modeRequires: '400' }]);
    expect(await check(readable!)).toEqual({ ok: true });
    chmodSync(file('config/app.conf'), 0o000);
    expect(await check(readable!)).toEqual({ ok: false, detail: 'config/app.conf mode 0000: owner read bit 400 not set (modeRequires 400)' });
    chmodSync(file('config/app.conf'), 0o400);
    expect(await check(readable!)).toEqual({ ok: true });
    rmSync(file('config/app.conf'));
    expect(await check(readable!)).toEqual({ ok: false, detail: 'config/app.conf missing' });
  });

  test('maxBytes fails above the limit with both sizes, and every failed check is listed', async () => {
    const [small, both] = sandbox.probes([
      { probe: 'file.stat', path: 'config/app.conf', maxBytes: 2 * 1024 * 1024 },
      { probe: 'file.stat', path: 'config/app.conf', maxBytes: 3, modeForbids: '002', modeRequires: '600' },
    ]);
    expect(await check(small!)).toEqual({ ok: true });
    truncateSync(file('config/app.conf'), 32 * 1024 * 1024);
    expect(await check(small!)).toEqual({ ok: false, detail: 'config/app.conf is 33554432 bytes (32.0 MiB), more than maxBytes 2097152 bytes (2.0 MiB)' });
    truncateSync(file('config/app.conf'), 2 * 1024 * 1024);
    expect(await check(small!)).toEqual({ ok: true });
    chmodSync(file('config/app.conf'), 0o407);
    expect(await check(both!)).toEqual({ ok: false, detail: 'config/app.conf is 2097152 bytes (2.0 MiB), more than maxBytes 3 bytes; config/app.conf mode 0407: other write bit 002 set (modeForbids 002), owner write bit 200 not set (modeRequires 600)' });
  });

  test('a chmod and a write are each announced through fs.watch', async () => {
    const [notWritable] = sandbox.probes([{ probe: 'file.stat', path: 'config/app.conf', modeForbids: '022', maxBytes: 100 }]);
    const triggers: Trigger[] = [];
    notWritable!.probe.watch!((trigger) => triggers.push(trigger));
    expect(notWritable!.probe.getEventBound!()).toBe(2);
    chmodSync(file('config/app.conf'), 0o666);
    await until('an fs.watch trigger for the chmod', () => triggers.length > 0, 1000);
    expect(triggers[0]).toMatchObject({ source: 'fs.watch' });
    const seen = triggers.length;
    appendFileSync(file('config/app.conf'), 'B=2\n');
    await until('an fs.watch trigger for the write', () => triggers.length > seen, 1000);
  });

  test('a probe whose modeForbids and modeRequires share bits is refused when created', () => {
    expect(() => sandbox.probes([{ probe: 'file.stat', path: 'config/app.conf', modeForbids: '644', modeRequires: '400' }]))
      .toThrow('file.stat on config/app.conf: modeRequires: shares bits 400 with modeForbids 644, so no mode could pass');
  });
});

describe('file.stat params', () => {
  test('are validated with messages that name the field', () => {
    expect(explainProbe('{ probe: file.stat, path: a }')).toEqual(['steadyState.0: expected at least one of `maxBytes`, `modeForbids`, `modeRequires`; got none of them']);
    expect(explainProbe('{ probe: file.stat, path: a, modeForbids: "0228" }')).toEqual([
      'steadyState.0.modeForbids: expected a string matching /^[0-7]{1,4}$/ (Permission bits, in octal and quoted, none of which may be set ("022": not writable by group or others)); got "0228"',
    ]);
    // Unquoted, YAML reads 022 as the number 22.
    expect(explainProbe('{ probe: file.stat, path: a, modeRequires: 400 }')).toEqual(['steadyState.0.modeRequires: expected a string; got 400 (YAML reads an unquoted mode as a number, dropping its leading 0: quote it, e.g. "0400")']);
    expect(explainProbe('{ probe: file.stat, path: a, maxBytes: -1 }')).toEqual(['steadyState.0.maxBytes: expected a number ≥ 0; got -1']);
    expect(explainProbe('{ probe: file.stat, path: a, maxBytes: 10, modeForbids: "022", modeRequires: "0400" }')).toEqual([]);
  });
});
