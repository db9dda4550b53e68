import { mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Sampler } from '../../src/measure/sampler.js';
import type { Sample } from '../../src/measure/sample.js';
import { check, createSandbox, until, type Sandbox } from './helpers.js';
import { explainProbe } from './validation.js';

let sandbox: Sandbox;
const file = (name: string) => join(sandbox.dir, name);
const fill = (dir: string, count: number, prefix = 'f') => {
  for (let index = 0; index < count; index += 1) writeFileSync(file(`${dir}/${prefix}${index}`), 'x');
};

beforeEach(() => {
  sandbox = createSandbox();
  mkdirSync(file('tmp'));
});
afterEach(() => sandbox.dispose());

describe('dir.entries (real directory entries in a temp dir)', () => {
  test('counts every entry (hidden ones, folders, links) like ls -A and says how many above the limit', async () => {
    const [atMost3] = sandbox.probes([{ probe: 'dir.entries', path: 'tmp', maxEntries: 3 }]);
    expect(await check(atMost3!)).toEqual({ ok: true });
    writeFileSync(file('tmp/.hidden'), '');
    mkdirSync(file('tmp/sub'));
    symlinkSync('/nonexistent', file('tmp/dangling'));
    expect(await check(atMost3!)).toEqual({ ok: true });
    fill('tmp', 1);
    expect(await check(atMost3!)).toEqual({ ok: false, detail: 'tmp holds more than maxEntries 3 entries (counting stops there)' });
    rmSync(file('tmp/f0'));
    expect(await check(atMost3!)).toEqual({ ok: true });
  });

  test('fails on a missing directory or a file in its place', async () => {
    const [entries] = sandbox.probes([{ probe: 'dir.entries', path: 'tmp', maxEntries: 100 }]);
    rmSync(file('tmp'), { recursive: true });
    expect(await check(entries!)).toEqual({ ok: false, detail: 'tmp missing' });
    writeFileSync(file('tmp'), '');
    expect(await check(entries!)).toEqual({ ok: false, detail: 'tmp is not a directory' });
  });

  test('entries are seen at once through fs.watch, also in a directory replaced meanwhile; polling alone waits', async () => {
    const probes = sandbox.probes([
      { probe: 'dir.entries', path: 'tmp', maxEntries: 100, intervalMs: 60_000 },
      { probe: 'dir.entries', path: 'tmp', maxEntries: 100, intervalMs: 60_000, events: false },
    ]);
    const samples: Sample[] = [];
    const latest = (probe: number) => samples.filter((sample) => sample.probe === probe).at(-1);
    const sampler = new Sampler(probes, (sample) => samples.push(sample));
    sampler.start();
    try {
      await until('the first samples', () => samples.length >= 2);
      expect(probes[0]!.probe.getEventBound!()).toBe(2);
      fill('tmp', 100);
      // The 101st entry is the change that matters: timed from its write.
      let written = performance.now();
      writeFileSync(file('tmp/one-too-many'), 'x');
      await until('the event-driven probe to see 101 entries', () => latest(0)?.ok === false, 2000);
      expect(performance.now() - written).toBeLessThan(1000);
      expect(latest(0)!.detail).toBe('tmp holds more than maxEntries 100 entries (counting stops there)');
      // The healer's way out: a fresh, empty tmp/ swapped in; then new files land in the new one.
      mkdirSync(file('tmp.new'));
      renameSync(file('tmp'), file('tmp.old'));
      renameSync(file('tmp.new'), file('tmp'));
      await until('the probe to pass on the empty replacement', () => latest(0)?.ok === true, 2000);
      fill('tmp', 100, 'g');
      written = performance.now();
      writeFileSync(file('tmp/one-too-many'), 'x');
      await until('the probe to see the replacement fill up', () => latest(0)?.ok === false, 2000);
      expect(performance.now() - written).toBeLessThan(1000);
      expect(samples.filter((sample) => sample.probe === 1).map((sample) => sample.ok)).toEqual([true]);
    } finally {
      await sampler.stop();
    }
  });
});

describe('dir.entries params', () => {
  test('are validated with messages that name the field', () => {
    expect(explainProbe('{ probe: dir.entries, path: tmp }')).toEqual(['steadyState.0.maxEntries: missing required field; expected an integer']);
    expect(explainProbe('{ probe: dir.entries, path: tmp, maxEntries: -1 }')).toEqual(['steadyState.0.maxEntries: expected a number ≥ 0; got -1']);
    expect(explainProbe('{ probe: dir.entries, path: tmp, maxEntries: 100, max: 3 }')).toEqual(['steadyState.0.max: unknown field `max`; expected one of probe, name, intervalMs, events, path, maxEntries']);
    expect(explainProbe('{ probe: dir.entries, path: tmp, maxEntries: 0 }')).toEqual([]);
  });
});
