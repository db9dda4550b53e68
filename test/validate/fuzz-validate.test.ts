// Feeds `validate` 10,000 generated hostile scenario files: each answers within 1 s with exit 0 or 2,
// and none changes anything (a decoy the scenarios name keeps its bytes and mode; no state dir,
// no child process, nothing new in the tree). A sample of 20 goes through the real CLI.
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { FaultlineError } from '../../src/errors.js';
import { validateScenarioFiles } from '../../src/scenario/load.js';
import { packageRoot } from '../../src/util/package-root.js';
import { generateHostileInputs } from './hostile-inputs.js';

const COUNT = Number(process.env.FAULTLINE_FUZZ_COUNT ?? 10_000);
const SEED = 0x5eed;
let work: string;
let decoy: string;
let stateDir: string;
const previousStateDir = process.env.FAULTLINE_STATE_DIR;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-fuzz-'));
  decoy = join(work, 'decoy.conf');
  writeFileSync(decoy, 'KEEP=me\n');
  chmodSync(decoy, 0o600);
  writeFileSync(join(work, 'target.yaml'), `name: t\ntmux: { socketPath: /tmp/tmux-0//default }\nhome: ${work}\nroots: [${work}]\n`);
  stateDir = join(work, 'state');
  process.env.FAULTLINE_STATE_DIR = stateDir;
});
afterAll(() => {
  if (previousStateDir === undefined) delete process.env.FAULTLINE_STATE_DIR;
  else process.env.FAULTLINE_STATE_DIR = previousStateDir;
  rmSync(work, { recursive: true, force: true });
});

function snapshot() {
  const info = statSync(decoy);
  return {
    decoy: readFileSync(decoy, 'utf8'),
    mode: info.mode,
    mtime: info.mtimeMs,
    work: readdirSync(work).sort(),
    tree: readdirSync(packageRoot).sort(),
    state: existsSync(stateDir),
    children: findChildren(),
  };
}

// Our own child processes, from /proc: validate must start none.
function findChildren(): number[] {
  const children: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) === process.pid) children.push(Number(name));
    } catch {
      // gone
    }
  }
  return children;
}

describe('validate under hostile input', () => {
  test(`${COUNT} generated hostile files each answer within 1 s with exit 0 or 2 and change nothing`, async () => {
    const file = join(work, 'case.yaml');
    // Warm up once: the first call compiles the schema validators.
    writeFileSync(file, 'id: w\n');
    await validateScenarioFiles([file]);
    const before = snapshot();
    const slowest = { ms: 0, kind: '' };
    const kinds = new Map<string, { valid: number; invalid: number; ms: number }>();
    let index = 0;
    for (const input of generateHostileInputs(COUNT, SEED, decoy)) {
      writeFileSync(file, input.bytes);
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      let exit: number;
      try {
        exit = (await validateScenarioFiles([file])).problems.length === 0 ? 0 : 2;
      } catch (error) {
        // A known error is an answer too (exit 2); anything else is a crash.
        if (!(error instanceof FaultlineError) || error.exitCode !== 2) throw new Error(`case ${index} (${input.kind}) crashed: ${String(error)}`, { cause: error });
        exit = 2;
      }
      const ms = performance.now() - start;
      // The bound is on this process's CPU time: what an input makes validate do. Wall time also counts the
      // other test files sharing the 2 cores (a case waited 1.3 s for one under the full suite); it is shown, and
      // bounded loosely, so a case that waits on something (a FIFO, a device) still fails.
      const cpu = process.cpuUsage(cpuStart);
      const cpuMs = (cpu.user + cpu.system) / 1000;
      if (cpuMs > slowest.ms) Object.assign(slowest, { ms: cpuMs, kind: `case ${index} (${input.kind}, ${input.bytes.length} bytes, ${Math.round(ms)} ms wall)` });
      expect.soft(cpuMs, `case ${index} (${input.kind}) took ${Math.round(cpuMs)} ms of CPU`).toBeLessThan(1000);
      expect.soft(ms, `case ${index} (${input.kind}) took ${Math.round(ms)} ms`).toBeLessThan(5000);
      const counts = kinds.get(input.kind) ?? { valid: 0, invalid: 0, ms: 0 };
      counts.ms += Math.round(ms);
      counts[exit === 0 ? 'valid' : 'invalid'] += 1;
      kinds.set(input.kind, counts);
      index += 1;
    }
    expect(index).toBe(COUNT);
    expect(snapshot()).toEqual(before);
    rmSync(file);
    // Every kind was generated, and the hostile ones were refused.
    expect([...kinds.keys()].sort()).toEqual(['alias-cycle', 'alias-graph', 'bad-encoding', 'big-list', 'control-chars', 'deep-nesting', 'huge-number', 'long-string', 'merge-keys', 'odd-target', 'odd-yaml']);
    expect(kinds.get('bad-encoding')!.invalid).toBeGreaterThan(0);
    console.log(`fuzz: slowest ${Math.round(slowest.ms)} ms of CPU, ${slowest.kind}; ${JSON.stringify(Object.fromEntries(kinds))}`);
  }, 120_000);

  test('a sample of 20 goes through the real CLI: exit 0 or 2, no control character printed', async () => {
    const bin = join(packageRoot, 'bin', 'faultline.js');
    const inputs = [...generateHostileInputs(400, SEED + 1, decoy)].filter((_, i) => i % 20 === 0);
    expect(inputs).toHaveLength(20);
    const files = inputs.map((input, index) => {
      const file = join(work, `cli-${index}.yaml`);
      writeFileSync(file, input.bytes);
      return file;
    });
    const before = snapshot();
    // Two at a time, one per core (CI has 2): each is mostly Node starting up and compiling the schema, and
    // four at once only made each one wait for a core, past its bound.
    const queue = [...inputs.entries()];
    const worker = async () => {
      for (let next = queue.shift(); next; next = queue.shift()) await checkOne(next[1], files[next[0]]!);
    };
    await Promise.all([worker(), worker()]);
    expect(snapshot()).toEqual(before);
    for (const file of files) rmSync(file);

    async function checkOne(input: { kind: string }, file: string) {
      const start = performance.now();
      const result = await promisify(execFile)(process.execPath, [bin, 'validate', file], { cwd: work, timeout: 20_000, env: { ...process.env, NO_COLOR: '1' } }).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (error: { code: number; stdout: string; stderr: string }) => error,
      );
      const ms = performance.now() - start;
      expect([0, 2], `${input.kind}: exit ${result.code}: ${result.stderr.slice(0, 300)}`).toContain(result.code);
      expect(result.stdout + result.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/);
      // Node's own start-up is most of this on a loaded machine; the answer itself is bounded above.
      expect(ms).toBeLessThan(10_000);
    }
  }, 300_000);
});
