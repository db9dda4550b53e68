// Generates hostile scenario files for the validate fuzz test: alias graphs and cycles, huge and
// non-finite numbers, control characters, deep nesting, long strings, bad encodings, big lists.
import { createRandom } from '../../src/util/random.js';

/** One generated input: what kind it is (for failure messages) and its bytes. */
export interface HostileInput {
  kind: string;
  bytes: Buffer;
}

type Pick = <T>(items: readonly T[]) => T;

const numbers = ['1e30', '.inf', '-.inf', '.nan', '1e308', '-1e308', '1e-400', '-0', '0x7fffffffffffffffffff', '9007199254740993', '0o7777777777777777777777', '12_345', '1_000_000_000_000_000', '2e53', '3.5', '-1'];
const numberFields = ['runs', 'timeoutMs', 'stabilizeMs', 'steadyStateWaitMs', 'sampleIntervalMs'];
const faultNumbers: Array<[string, string]> = [
  ['disk.fill', 'bytesFree'], ['disk.fill', 'percent'], ['config.corrupt', 'seed'], ['config.corrupt', 'bytes'],
  ['disk.temp-files', 'count'], ['disk.log-growth', 'bytesPerSecond'], ['process.kill', 'count'], ['resource.cpu-hog', 'cores'],
];
const controls = ['\u001b]0;pwned\u0007', '\u001b[2J', '\u001b[1;1H', '\r', '\u0000', '\u0008', '\u007f', '\u009b31m', '\u202e', '\u2028', '\u0085', '\t', '\u000b'];
const escapes = ['\\e]0;pwned\\a', '\\e[2J', '\\0', '\\x9b', '\\u202e', '\\r\\n', '\\L', '\\N', '\\_', '\\P'];

/** `count` inputs from `seed`, the same every time, made one at a time (some are megabytes). */
export function* generateHostileInputs(count: number, seed: number, decoy: string): Generator<HostileInput> {
  const random = createRandom(seed);
  const int = (low: number, high: number) => low + Math.floor(random() * (high - low + 1));
  const pick: Pick = (items) => items[Math.floor(random() * items.length)]!;
  // Sizes: small nine times in ten, large (hundreds of kB) one time in a hundred, so 10,000 cases stay quick.
  const size = (small: number, medium: number, large: number) => {
    const roll = random();
    return roll < 0.9 ? int(1, small) : roll < 0.99 ? int(small, medium) : int(medium, large);
  };
  const makers: Array<[string, () => string | Buffer]> = [
    ['alias-graph', () => aliasGraph(int, pick)],
    ['alias-cycle', () => aliasCycle(int, pick)],
    ['merge-keys', () => mergeKeys(int)],
    ['huge-number', () => hugeNumber(pick, decoy)],
    ['control-chars', () => controlChars(int, pick, decoy)],
    ['deep-nesting', () => deepNesting(size, pick)],
    ['long-string', () => longString(size, pick, decoy)],
    ['bad-encoding', () => badEncoding(int, pick, random, decoy)],
    ['big-list', () => bigList(size, pick, decoy)],
    ['odd-target', () => skeleton({ target: pick(['/dev/zero', '/dev/null', '/proc/self/status', '/etc/hostname', '../../../../../../etc/passwd', '.', '"\\e[2J.yaml"', 'target.yaml']) }, decoy)],
    ['odd-yaml', () => pick(['', '---\n---\n', '!!binary aGVsbG8=\n', 'id: !!js/function "function(){}"\n', '? [a, b]\n: c\n', '{a: 1, a: 2}\n', '%YAML 1.3\n---\nid: a\n', 'id: *nope\n', '&a a: &a b\n', '- !!set {a, b}\n'])],
  ];
  for (let index = 0; index < count; index += 1) {
    const [kind, make] = pick(makers);
    const made = make();
    yield { kind, bytes: typeof made === 'string' ? Buffer.from(made) : made };
  }
}

function skeleton(fields: Record<string, string>, decoy: string): string {
  const base: Record<string, string> = {
    id: 'fuzz',
    title: 'fuzz',
    steadyState: '[{ probe: tmux.session, session: proj-a }]',
    fault: `{ type: config.delete, path: ${JSON.stringify(decoy)} }`,
    ...fields,
  };
  return `${Object.entries(base).map(([key, value]) => `${key}: ${value}`).join('\n')}\n`;
}

function aliasGraph(int: (a: number, b: number) => number, pick: Pick): string {
  const levels = int(2, 12);
  const fanout = int(2, 12);
  const lines = [`l0: &l0 [${Array(fanout).fill('"lol"').join(',')}]`];
  for (let level = 1; level < levels; level += 1) lines.push(`l${level}: &l${level} [${Array(fanout).fill(`*l${level - 1}`).join(',')}]`);
  const top = `*l${levels - 1}`;
  const where = pick(['steadyState', 'tags', 'fault', 'description', 'canaries']);
  lines.push('id: bomb', 'title: bomb', `${where}: ${top}`);
  if (where !== 'steadyState') lines.push(`steadyState: [{ probe: tmux.session, session: a, matches: ${top} }]`);
  if (where !== 'fault') lines.push('fault: { type: tmux.kill-server }');
  return `${lines.join('\n')}\n`;
}

function aliasCycle(int: (a: number, b: number) => number, pick: Pick): string {
  return pick([
    '&a [*a]\n',
    '&a { x: *a }\n',
    `id: c\ntitle: c\nsteadyState: &s [{ probe: tmux.session, session: a, more: *s }]\nfault: { type: tmux.kill-server }\n`,
    `- &a [${Array(int(1, 50)).fill('*a').join(', ')}]\n`,
  ]);
}

function mergeKeys(int: (a: number, b: number) => number): string {
  const width = int(2, 40);
  const lines = [`base: &b { ${Array.from({ length: width }, (_, i) => `k${i}: ${i}`).join(', ')} }`];
  for (let level = 1; level < int(2, 10); level += 1) lines.push(`m${level}: &m${level} { <<: [${Array(width).fill(level === 1 ? '*b' : `*m${level - 1}`).join(', ')}] }`);
  lines.push('id: m', 'title: m', 'steadyState: [{ probe: tmux.session, session: a }]', 'fault: { type: tmux.kill-server, <<: *b }');
  return `${lines.join('\n')}\n`;
}

function hugeNumber(pick: Pick, decoy: string): string {
  const [type, field] = pick(faultNumbers);
  const value = pick(numbers);
  return pick([
    () => skeleton({ [pick(numberFields)]: value }, decoy),
    () => skeleton({ fault: `{ type: ${type}, path: data, mode: random-bytes, ${field}: ${value} }` }, decoy),
    () => skeleton({ expect: `{ ttdMs: ${value}, rtoMs: ${pick(numbers)}, dataLoss: ${pick(numbers)} }` }, decoy),
    () => skeleton({ fmea: `{ id: F-1, component: c, failureMode: m, effect: e, cause: c, severity: ${value}, occurrence: 3, detection: 3 }` }, decoy),
  ])();
}

function controlChars(int: (a: number, b: number) => number, pick: Pick, decoy: string): string {
  const raw = Array.from({ length: int(1, 6) }, () => pick(controls)).join('x');
  const quoted = `"${Array.from({ length: int(1, 6) }, () => pick(escapes)).join('y')}"`;
  const field = pick(['id', 'title', 'description', 'target']);
  return pick([
    () => skeleton({ [field]: quoted }, decoy),
    () => skeleton({ [field]: `'${raw.replaceAll("'", "''")}'` }, decoy),
    () => skeleton({ fault: `{ type: config.delete, path: ${quoted} }` }, decoy),
    () => skeleton({ [`${quoted}`]: 'x' }, decoy),
    () => skeleton({ steadyState: `[{ probe: file.exists, path: ${quoted}, ${raw.length > 3 ? 'matches' : 'name'}: ${quoted} }]` }, decoy),
  ])();
}

function deepNesting(size: (a: number, b: number, c: number) => number, pick: Pick): string {
  const depth = size(70, 400, 50_000);
  return pick([
    () => `${'['.repeat(depth)}${']'.repeat(depth)}\n`,
    () => `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}\n`,
    () => `${'['.repeat(depth)}\n`,
    () => Array.from({ length: Math.min(depth, 2000) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' 1\n',
    () => `id: d\ntitle: d\nsteadyState: [{ probe: tmux.session, session: a }]\nfault: ${'{ x: '.repeat(depth)}1${' }'.repeat(depth)}\n`,
  ])();
}

function longString(size: (a: number, b: number, c: number) => number, pick: Pick, decoy: string): string {
  const length = size(300, 20_000, 400_000);
  const text = pick(['a', 'é', '✓', '(a+)+', '\\\\', '%', '𝄞']).repeat(length);
  const field = pick(['id', 'title', 'description', 'target']);
  return pick([
    () => skeleton({ [field]: JSON.stringify(text) }, decoy),
    () => skeleton({ steadyState: `[{ probe: tmux.pane-text, target: 'a:0', matches: ${JSON.stringify(text)} }]` }, decoy),
    () => skeleton({ fault: `{ type: config.delete, path: ${JSON.stringify(text)} }` }, decoy),
    () => skeleton({ [JSON.stringify(text.slice(0, 2000))]: 'x' }, decoy),
  ])();
}

function badEncoding(int: (a: number, b: number) => number, pick: Pick, random: () => number, decoy: string): Buffer {
  const text = skeleton({}, decoy);
  const at = int(0, text.length);
  const bad = Buffer.from(pick([[0xff], [0xc0, 0xaf], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0x80], [0xe2, 0x82], [0xfe, 0xff]]));
  return pick([
    () => Buffer.concat([Buffer.from(text.slice(0, at)), bad, Buffer.from(text.slice(at))]),
    () => Buffer.from(text, 'utf16le'),
    () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]),
    () => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]),
    () => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le').subarray(1)]),
    () => Buffer.from(Array.from({ length: int(1, 4000) }, () => Math.floor(random() * 256))),
  ])();
}

function bigList(size: (a: number, b: number, c: number) => number, pick: Pick, decoy: string): string {
  const count = size(50, 5000, 150_000);
  const item = pick(['{}', '1', `{ id: a, title: a, steadyState: [{ probe: tmux.session, session: a }], fault: { type: config.delete, path: ${JSON.stringify(decoy)} } }`]);
  return `[${Array(count).fill(item).join(',')}]\n`;
}
