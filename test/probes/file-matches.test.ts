import { appendFileSync, mkdirSync, openSync, closeSync, ftruncateSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { Sampler } from '../../src/measure/sampler.js';
import type { Sample } from '../../src/measure/sample.js';
import { check, createSandbox, until, type Sandbox } from './helpers.js';
import { explainProbe } from './validation.js';

let sandbox: Sandbox;
const file = (name: string) => join(sandbox.dir, name);
const GiB = 1024 * 1024 * 1024;

beforeEach(() => {
  sandbox = createSandbox();
  mkdirSync(file('agents'));
});
afterEach(() => sandbox.dispose());

describe('file.matches (real files in a temp dir)', () => {
  test('matches the whole file like grep (^ and $ at line ends) and says what did not match', async () => {
    writeFileSync(file('state.json'), '{\n"sent":false,\n"seq":3\n}\n');
    const [sent, line] = sandbox.probes([
      { probe: 'file.matches', path: 'state.json', matches: '"sent":true' },
      { probe: 'file.matches', path: 'state.json', matches: '^"seq":\\d+$' },
    ]);
    expect(await check(sent!)).toEqual({ ok: false, detail: 'state.json (26 bytes) does not match /"sent":true/' });
    expect(await check(line!)).toEqual({ ok: true });
    writeFileSync(file('state.json'), '{"sent":true}');
    expect(await check(sent!)).toEqual({ ok: true });
    rmSync(file('state.json'));
    expect(await check(sent!)).toEqual({ ok: false, detail: 'cannot read state.json: ENOENT' });
  });

  test('lastLine matches only the last non-empty line, as tail -n 1 would show it', async () => {
    const [last] = sandbox.probes([{ probe: 'file.matches', path: 'agents/a.log', lastLine: true, matches: '^[^\\t]*\\t[^\\t]*\\tcheckin \\d+ \\d+\\.\\d+$' }]);
    writeFileSync(file('agents/a.log'), '1\t1700000000000\tcheckin 1 0.5\n2\t1700000000100\tstatus: half a mescheckin 2 1.0\n');
    expect(await check(last!)).toEqual({ ok: false, detail: 'agents/a.log: last line "2\\t1700000000100\\tstatus: half a mescheckin 2 1.0" does not match /^[^\\t]*\\t[^\\t]*\\tcheckin \\d+ \\d+\\.\\d+$/' });
    appendFileSync(file('agents/a.log'), '3\t1700000000200\tcheckin 3 1.5\n\n');
    expect(await check(last!)).toEqual({ ok: true });
    // A line not yet ended by its newline is the last line too (tail shows it).
    appendFileSync(file('agents/a.log'), '4\t1700000000300\tgarbage');
    expect((await check(last!)).ok).toBe(false);
    writeFileSync(file('agents/a.log'), '\n\n');
    expect(await check(last!)).toEqual({ ok: false, detail: 'agents/a.log has no non-empty line' });
  });

  test('reads a bounded part: a 3 GiB log is checked from its end, a whole-file match refuses it', async () => {
    // Sparse: 3 GiB of zeros (more than fs.readFile can even hold) taking no disk, then two lines.
    const fd = openSync(file('agents/big.log'), 'w');
    ftruncateSync(fd, 3 * GiB);
    closeSync(fd);
    appendFileSync(file('agents/big.log'), '\nfirst\nlast ok\n');
    const [lastOk, lastFirst, whole] = sandbox.probes([
      { probe: 'file.matches', path: 'agents/big.log', lastLine: true, matches: '^last ok$' },
      { probe: 'file.matches', path: 'agents/big.log', lastLine: true, matches: 'first' },
      { probe: 'file.matches', path: 'agents/big.log', matches: 'last ok' },
    ]);
    const started = performance.now();
    expect(await check(lastOk!)).toEqual({ ok: true });
    expect(await check(lastFirst!)).toEqual({ ok: false, detail: 'agents/big.log: last line "last ok" does not match /first/' });
    expect(await check(whole!)).toEqual({ ok: false, detail: `agents/big.log is ${3 * GiB + 15} bytes, more than maxReadBytes 1048576 (not read; lastLine reads only the end)` });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  test('a last line longer than maxReadBytes fails instead of being read', async () => {
    writeFileSync(file('agents/long.log'), `short\n${'x'.repeat(5000)}\n`);
    const [bounded, roomy] = sandbox.probes([
      { probe: 'file.matches', path: 'agents/long.log', lastLine: true, matches: 'x', maxReadBytes: 4096 },
      { probe: 'file.matches', path: 'agents/long.log', lastLine: true, matches: '^x{5000}$', maxReadBytes: 8192 },
    ]);
    expect(await check(bounded!)).toEqual({ ok: false, detail: 'agents/long.log: last line longer than maxReadBytes 4096 (not read)' });
    expect(await check(roomy!)).toEqual({ ok: true });
  });

  test('a rewrite is seen at once through fs.watch, long before the polling interval', async () => {
    writeFileSync(file('state.json'), '{"sent":false}');
    const probes = sandbox.probes([
      { probe: 'file.matches', path: 'state.json', matches: '"sent":true', intervalMs: 60_000 },
      { probe: 'file.matches', path: 'state.json', matches: '"sent":true', intervalMs: 60_000, events: false },
    ]);
    const samples: Sample[] = [];
    const sampler = new Sampler(probes, (sample) => samples.push(sample));
    sampler.start();
    try {
      await until('the first samples', () => samples.length >= 2);
      const written = performance.now();
      writeFileSync(file('state.json'), '{"sent":true}');
      await until('the event-driven probe to pass', () => samples.some((sample) => sample.probe === 0 && sample.ok), 2000);
      expect(performance.now() - written).toBeLessThan(1000);
      expect(samples.filter((sample) => sample.probe === 1).map((sample) => sample.ok)).toEqual([false]);
    } finally {
      await sampler.stop();
    }
  });
});

describe('file.matches params', () => {
  test('are validated with messages that name the field', () => {
    expect(explainProbe('{ probe: file.matches, path: a }')).toEqual(['steadyState.0.matches: missing required field; expected a string']);
    expect(explainProbe('{ probe: file.matches, path: a, matches: "[x" }')).toEqual(['steadyState.0.matches: expected a valid regular expression; got "[x" (Unterminated character class)']);
    expect(explainProbe('{ probe: file.matches, path: a, matches: x, maxReadBytes: 0 }')).toEqual(['steadyState.0.maxReadBytes: expected a number ≥ 1; got 0']);
    expect(explainProbe('{ probe: file.matches, path: a, matches: x, lastline: true }')).toEqual(['steadyState.0.lastline: unknown field `lastline`; did you mean `lastLine`?']);
    expect(explainProbe('{ probe: file.matches, path: a, matches: x, lastLine: true, maxReadBytes: 65536 }')).toEqual([]);
  });
});
