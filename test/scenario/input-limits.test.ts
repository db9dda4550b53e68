import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { validateScenarioFiles } from '../../src/scenario/load.js';

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-limits-'));
});
afterEach(() => {
  rmSync(work, { recursive: true, force: true });
});

const scenario = (fault: string, extra = '') => `id: s\ntitle: s\n${extra}steadyState:\n  - { probe: tmux.session, session: proj-a }\nfault: ${fault}\n`;

async function validate(name: string, content: string | Buffer, options = {}) {
  writeFileSync(join(work, name), content);
  const start = performance.now();
  const result = await validateScenarioFiles([join(work, name)], options);
  return { ...result, ms: performance.now() - start };
}

// The "billion laughs": each level refers to the one before nine times; 9^9 nodes once expanded.
const aliasBomb = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
  .concat('bcdefghi'.split('').map((name, index) => `${name}: &${name} [${Array(9).fill(`*${'abcdefghi'[index]}`).join(',')}]`))
  .concat(['id: bomb', 'title: bomb', 'steadyState: [{ probe: tmux.session, session: a, matches: "x" }]', 'fault: { type: tmux.kill-server }'])
  .join('\n');

describe('input is bounded before anything walks it', () => {
  test('an alias bomb is refused in well under a second', async () => {
    expect(aliasBomb.length).toBeLessThan(700);
    const result = await validate('bomb.yaml', aliasBomb);
    expect(result.problems).toEqual([expect.stringMatching(/bomb\.yaml:1:1 refused: more than 100000 YAML nodes once aliases are expanded/)]);
    expect(result.ms).toBeLessThan(3000); // generous under load; unbounded it takes a minute or more
  });

  test('an alias cycle is refused, not walked forever', async () => {
    const result = await validate('cycle.yaml', '&a [*a]\n');
    expect(result.problems[0]).toMatch(/refused: an alias refers to the node that contains it \(a cycle\)/);
  });

  test('a 50 MB file is refused by its size without being read', async () => {
    const result = await validate('big.yaml', Buffer.alloc(50 * 1024 * 1024, '#\n'));
    expect(result.problems).toEqual([expect.stringMatching(/big\.yaml: refused: the file is larger than 1048576 bytes .*--max-input-bytes/)]);
    expect(result.ms).toBeLessThan(3000);
  });

  test('the size limit is configurable by option and by FAULTLINE_MAX_INPUT_BYTES', async () => {
    const text = scenario('{ type: tmux.kill-server }');
    expect((await validate('small.yaml', text, { maxInputBytes: 10 })).problems[0]).toMatch(/larger than 10 bytes/);
    process.env.FAULTLINE_MAX_INPUT_BYTES = '20';
    try {
      expect((await validate('small.yaml', text)).problems[0]).toMatch(/larger than 20 bytes/);
    } finally {
      delete process.env.FAULTLINE_MAX_INPUT_BYTES;
    }
    expect((await validate('small.yaml', text)).problems).toEqual([]);
  });

  test('a list of 300,000 scenarios is refused in well under a second', async () => {
    const result = await validate('many.yaml', `[${Array(300_000).fill('{}').join(',')}]`);
    expect(result.problems).toEqual([expect.stringMatching(/refused: more than 100000 YAML nodes/)]);
    expect(result.ms).toBeLessThan(3000);
  });

  test('nesting deeper than 64 levels is refused at its line and column', async () => {
    const result = await validate('deep.yaml', `${'['.repeat(100_000)}`);
    expect(result.problems).toEqual([expect.stringMatching(/deep\.yaml:1:64 refused: nested more than 64 levels/)]);
  });
});

describe('numbers are finite and bounded', () => {
  test.each([
    ['bytesFree: 1e30', '{ type: disk.fill, path: data, bytesFree: 1e30 }', /fault\.bytesFree: expected a number ≤ 1125899906842624; got 1e\+30/],
    ['bytesFree: .inf', '{ type: disk.fill, path: data, bytesFree: .inf }', /fault\.bytesFree: expected a number ≤ \d+; got Infinity/],
    ['seed: .inf', '{ type: config.corrupt, path: config/orchestrator.conf, mode: random-bytes, seed: .inf }', /fault\.seed: expected a number ≤ 4294967295; got Infinity/],
  ])('%s is refused', async (_name, fault, message) => {
    const result = await validate('n.yaml', scenario(fault));
    expect(result.problems.join('\n')).toMatch(message);
  });

  test('ttdMs: .inf is refused', async () => {
    const result = await validate('n.yaml', scenario('{ type: tmux.kill-server }', 'expect: { ttdMs: .inf }\n'));
    expect(result.problems.join('\n')).toMatch(/expect\.ttdMs: .*Infinity/);
  });
});

describe('text encodings', () => {
  test('invalid UTF-8 is refused with its line and column', async () => {
    const result = await validate('bad.yaml', Buffer.concat([Buffer.from('id: s\ntitle: ab'), Buffer.from([0xff]), Buffer.from('c\n')]));
    expect(result.problems).toEqual([expect.stringMatching(/bad\.yaml:2:10 invalid UTF-8 \(byte 0xff\)/)]);
  });

  test('a path with a lone continuation byte is refused, not turned into U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from(scenario('{ type: config.delete, path: "config/')), Buffer.from([0x80]), Buffer.from('x" }\n')]);
    const result = await validate('path.yaml', bytes);
    expect(result.problems[0]).toMatch(/path\.yaml:6:\d+ invalid UTF-8 \(byte 0x80\)/);
  });

  test('UTF-16 without a BOM is refused; with a BOM it is read', async () => {
    const text = scenario('{ type: tmux.kill-server }');
    expect((await validate('le.yaml', Buffer.from(text, 'utf16le'))).problems[0]).toMatch(/le\.yaml:1:1 .*UTF-16.*without a byte-order mark/);
    expect((await validate('bom.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).problems).toEqual([]);
    expect((await validate('utf8bom.yaml', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]))).problems).toEqual([]);
  });
});

describe('scenarios per file', () => {
  test('a list of more than 200 scenarios is refused before any is validated', async () => {
    const item = '{ id: a, title: a, steadyState: [{ probe: tmux.session, session: a }], fault: { type: tmux.kill-server } }';
    const result = await validate('list.yaml', `[${Array(5000).fill(item).join(',')}]`);
    expect(result.problems).toEqual([expect.stringMatching(/list\.yaml:1:1 refused: 5000 scenarios in one file, more than 200/)]);
    expect(result.ms).toBeLessThan(3000);
  });
});
