import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { check, createSandbox, until, type Sandbox } from './helpers.js';

let sandbox: Sandbox;
const children: ChildProcess[] = [];

// A process this test owns, with a unique argument to find it by pattern.
function startSleeper(tag: string): ChildProcess {
  const child = spawn('sleep', [`600.${tag}`], { stdio: 'ignore' });
  children.push(child);
  return child;
}

beforeEach(() => {
  sandbox = createSandbox();
});
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  await sandbox.dispose();
});

describe('process.alive (reads /proc; spawns nothing)', () => {
  test('by pidfile: alive while the process runs, failing once it is killed (even before it is reaped)', async () => {
    const child = startSleeper(String(process.pid));
    writeFileSync(join(sandbox.dir, 'app.pid'), `${child.pid}\n`);
    const [alive, missing] = sandbox.probes([{ probe: 'process.alive', pidFile: 'app.pid' }, { probe: 'process.alive', pidFile: 'none.pid' }]);
    expect(await check(alive!)).toEqual({ ok: true });
    expect(await check(missing!)).toMatchObject({ ok: false, detail: 'cannot read none.pid: ENOENT' });
    child.kill('SIGKILL');
    await until('the probe to see the process gone', async () => !(await check(alive!)).ok);
    expect((await check(alive!)).detail).toBe(`process ${child.pid} (from app.pid) is not running`);
  });

  test('by pattern: counts matching live processes against minCount', async () => {
    const tag = `${process.pid}${Date.now() % 100000}`;
    startSleeper(tag);
    startSleeper(tag);
    const [one, three] = sandbox.probes([
      { probe: 'process.alive', matches: `^sleep 600\\.${tag}$` },
      { probe: 'process.alive', matches: `^sleep 600\\.${tag}$`, minCount: 3 },
    ]);
    await until('both sleepers', async () => (await check(one!)).ok);
    expect(await check(three!)).toEqual({ ok: false, detail: `2 process(es) match /^sleep 600\\.${tag}$/ (< 3)` });
    expect(one!.intervalMs).toBe(200);
  });
});
