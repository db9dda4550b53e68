// process.usage: a uid's threads and resident memory, read from /proc. As root the tests run real
// processes under a uid of their own (never an account's, never a reference instance's), with a real
// RLIMIT_NPROC, and kill every process of that uid afterwards, pass or fail.
import { spawn, type ChildProcess } from 'node:child_process';
import { chownSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { parseYamlDocuments } from '../../src/scenario/positions.js';
import { listUidProcesses } from '../../src/util/proc-usage.js';
import { explainSchemaErrors } from '../../src/validate/explain-schema-errors.js';
import { formatProblem } from '../../src/validate/problem.js';
import { getScenarioSchema, validateScenarioValue } from '../../src/validate/scenario-validator.js';
import { check, createSandbox, until, type Sandbox } from './helpers.js';

const isRoot = process.getuid?.() === 0;
// Above the reference instances' uids (600000–699999); one per test process, so parallel runs do not share it.
let testUid = 720_000 + (process.pid % 10_000);
while (listUidProcesses(testUid, { includeZombies: true }).length > 0) testUid += 1;

let sandbox: Sandbox;
const children: ChildProcess[] = [];

// Starts `file args` as the test uid, in a process group of its own (killed as a group afterwards).
function spawnAsTestUid(file: string, args: string[], stdin: 'pipe' | 'ignore' = 'ignore'): ChildProcess {
  const child = spawn(file, args, { uid: testUid, gid: testUid, cwd: '/', detached: true, stdio: [stdin, 'ignore', 'pipe'] });
  children.push(child);
  return child;
}

beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(async () => {
  // SIGTERM first, so a parent that keeps a zombie reaps it on the way out (pid 1 of a container may never
  // reap an orphaned zombie); then SIGKILL whatever is left.
  const groups = children.splice(0);
  for (const child of groups) signalGroup(child, 'SIGTERM');
  await until('the test processes to end', () => groups.every((child) => child.exitCode !== null || child.signalCode !== null), 2000).catch(() => undefined);
  for (const child of groups) signalGroup(child, 'SIGKILL');
  // Whatever a child forked outside its group: the uid is this test's alone.
  if (isRoot) {
    for (const { pid } of listUidProcesses(testUid)) signalPid(pid, 'SIGKILL');
    await until('every process of the test uid to be gone', () => listUidProcesses(testUid, { includeZombies: true }).length === 0);
  }
  await sandbox.dispose();
});

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid !== undefined) signalPid(-child.pid, signal);
}

function signalPid(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

describe('process.usage (reads /proc; spawns nothing)', () => {
  test('reports the threads and resident memory of its own uid, the owner of the target home', async () => {
    const [usage] = sandbox.probes([{ probe: 'process.usage', ownerOf: '.', maxThreads: 1_000_000, maxRssMiB: 1_000_000 }]);
    const result = await check(usage!);
    const match = /^uid (\d+): (\d+) threads \(max 1000000\); (\d+\.\d) MiB resident \(max 1000000 MiB\)$/.exec(result.detail ?? '');
    expect(result.ok, result.detail).toBe(true);
    expect(Number(match?.[1])).toBe(process.getuid?.());
    const ownThreads = Number(/^Threads:\s+(\d+)/m.exec(readFileSync('/proc/self/status', 'utf8'))?.[1]);
    expect(Number(match?.[2])).toBeGreaterThanOrEqual(ownThreads);
    expect(Number(match?.[3])).toBeGreaterThan(10);
    expect(usage!.intervalMs).toBe(200);
  });

  test('fails with the reason when the owner or the limit cannot be read', async () => {
    writeFileSync(join(sandbox.dir, 'junk.pid'), 'not a pid\n');
    const exited = spawn('true', [], { stdio: 'ignore' });
    await new Promise((resolve) => exited.on('exit', resolve));
    writeFileSync(join(sandbox.dir, 'dead.pid'), `${exited.pid}\n`);
    const [noOwner, noPidFile, junk, dead] = sandbox.probes([
      { probe: 'process.usage', ownerOf: 'nowhere', maxThreads: 10 },
      { probe: 'process.usage', uid: 0, threadsBelowLimitOf: 'none.pid' },
      { probe: 'process.usage', uid: 0, threadsBelowLimitOf: 'junk.pid' },
      { probe: 'process.usage', uid: 0, threadsBelowLimitOf: 'dead.pid' },
    ]);
    expect(await check(noOwner!)).toEqual({ ok: false, detail: 'cannot stat nowhere: ENOENT' });
    expect(await check(noPidFile!)).toEqual({ ok: false, detail: 'cannot read none.pid: ENOENT' });
    expect(await check(junk!)).toEqual({ ok: false, detail: 'junk.pid holds no pid' });
    expect(await check(dead!)).toEqual({ ok: false, detail: `process ${exited.pid} (from dead.pid) is not running, so its process limit is unknown` });
  });

  test('refuses params without an owner, with two owners, or without a check, in validation', () => {
    const text = `id: usage
title: Usage
steadyState:
  - probe: process.usage
    ownerOf: run
  - probe: process.usage
    ownerOf: run
    uid: 5
    maxThreads: 3
  - probe: process.usage
    maxRssMiB: 0
fault:
  type: tmux.kill-session
  session: tmux-orc
`;
    const [document] = parseYamlDocuments(text);
    const located = { file: 'x.yaml', path: [], value: document!.value, positions: document!.positions };
    expect(explainSchemaErrors(validateScenarioValue(document!.value), located, getScenarioSchema()).map(formatProblem)).toEqual([
      'x.yaml:4:5 steadyState.0: expected at least one of `threadsBelowLimitOf`, `maxThreads`, `maxRssMiB`; got none of them',
      'x.yaml:6:5 steadyState.1: expected exactly one of `ownerOf`, `uid`; got `ownerOf` and `uid`',
      'x.yaml:10:5 steadyState.2: expected exactly one of `ownerOf`, `uid`; got none of them',
      'x.yaml:11:16 steadyState.2.maxRssMiB: expected a number > 0; got 0',
    ]);
  });
});

describe.skipIf(!isRoot)('process.usage on processes of a uid of its own (as root)', () => {
  test('counts every thread of the uid, zombies included, against maxThreads; by uid or by the owner of a path', async () => {
    writeFileSync(join(sandbox.dir, 'owned'), '');
    chownSync(join(sandbox.dir, 'owned'), testUid, testUid);
    const [byUid, byOwner] = sandbox.probes([
      { probe: 'process.usage', uid: testUid, maxThreads: 3 },
      { probe: 'process.usage', ownerOf: 'owned', maxThreads: 3 },
    ]);
    expect((await check(byUid!)).detail).toBe(`uid ${testUid}: 0 threads (max 3); 0.0 MiB resident`);
    // The forked child exits at once and its parent does not reap it until SIGTERM (teardown): a zombie, which still holds a slot.
    spawnAsTestUid('perl', ['-e', '$SIG{TERM} = sub { 1 while waitpid(-1, 0) > 0; exit 0 }; exit 0 unless fork; sleep 600 while 1']);
    spawnAsTestUid('sleep', ['600']);
    // Until the forked child has exited it is a live thread, not yet a zombie: wait for both.
    const zombies = () => listUidProcesses(testUid, { includeZombies: true }).length - listUidProcesses(testUid).length;
    await until('two processes and a zombie', async () => zombies() === 1 && ((await check(byUid!)).detail?.startsWith(`uid ${testUid}: 3 threads (max 3); `) ?? false));
    expect((await check(byUid!)).ok).toBe(true);
    expect(await check(byOwner!)).toMatchObject({ ok: true, detail: expect.stringMatching(new RegExp(`^uid ${testUid}: 3 threads \\(max 3\\); `)) });
    spawnAsTestUid('sleep', ['600']);
    await until('a fourth thread', async () => !(await check(byUid!)).ok);
    expect((await check(byUid!)).detail).toMatch(new RegExp(`^uid ${testUid}: 4 threads \\(> 3\\); \\d+\\.\\d MiB resident$`));
  });

  test('fails once the uid’s threads reach the RLIMIT_NPROC of the process in the pidfile, when its next fork fails', async () => {
    // A shell under a budget of 4 that starts a sleeper for every line it reads.
    const shell = spawnAsTestUid('prlimit', ['--nproc=4:4', '--', 'sh', '-c', 'while read line; do sleep 600 & done'], 'pipe');
    let stderr = '';
    shell.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    writeFileSync(join(sandbox.dir, 'shell.pid'), `${shell.pid}\n`);
    const [slots] = sandbox.probes([{ probe: 'process.usage', uid: testUid, threadsBelowLimitOf: 'shell.pid' }]);
    // prlimit execs the shell: same pid, and the budget is in place once the shell runs.
    await until('the shell under its budget', async () => (await check(slots!)).detail?.startsWith(`uid ${testUid}: 1 thread of 4 allowed; `) ?? false);
    expect((await check(slots!)).ok).toBe(true);
    shell.stdin!.write('1\n2\n');
    await until('three threads', async () => (await check(slots!)).detail?.startsWith(`uid ${testUid}: 3 threads of 4 allowed; `) ?? false);
    expect((await check(slots!)).ok).toBe(true);
    shell.stdin!.write('3\n');
    await until('the budget to be full', async () => !(await check(slots!)).ok);
    expect((await check(slots!)).detail).toMatch(new RegExp(`^uid ${testUid}: 4 threads of 4 allowed \\(none free\\); \\d+\\.\\d MiB resident$`));
    // The kernel agrees: the shell cannot fork a fifth.
    shell.stdin!.write('4\n');
    await until('the shell’s fork to fail', () => /fork/i.test(stderr));
  });

  test('fails when the uid’s resident memory passes maxRssMiB', async () => {
    const [tight, roomy] = sandbox.probes([
      { probe: 'process.usage', uid: testUid, maxRssMiB: 32 },
      { probe: 'process.usage', uid: testUid, maxRssMiB: 4096 },
    ]);
    expect((await check(tight!)).ok).toBe(true);
    // 64 MiB written (so resident), held until killed.
    spawnAsTestUid(process.execPath, ['-e', 'globalThis.held = Buffer.alloc(64 << 20, 1); setInterval(() => {}, 1 << 30)']);
    await until('the memory to be resident', async () => Number(/ (\d+\.\d) MiB resident/.exec((await check(tight!)).detail ?? '')?.[1]) >= 64);
    const result = await check(tight!);
    expect(result.ok).toBe(false);
    expect(result.detail).toMatch(new RegExp(`^uid ${testUid}: 1 thread|^uid ${testUid}: \\d+ threads`));
    expect(result.detail).toMatch(/; \d+\.\d MiB resident \(> 32 MiB\)$/);
    expect(await check(roomy!)).toMatchObject({ ok: true, detail: expect.stringMatching(/MiB resident \(max 4096 MiB\)$/) });
  });
});
