// One run per target: the lock is exclusive across processes, names its holder, goes away with its
// holder (kill -9 included) and leaves no file behind once released.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { TargetBusyError } from '../../src/errors.js';
import { acquireTargetLock, acquireTargetLocks, canonicalizePath, tryTargetLock } from '../../src/run/target-lock.js';
import { waitForExit } from '../helpers/crash-harness.js';

const dist = join(import.meta.dirname, '..', '..', 'dist', 'run', 'target-lock.js');
let work: string;
let lockDir: string;
let holder: ChildProcess | undefined;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-lock-'));
  lockDir = join(work, 'locks');
});
afterEach(async () => {
  if (holder && holder.exitCode === null && holder.signalCode === null) {
    holder.kill('SIGKILL');
    await waitForExit(holder);
  }
  holder = undefined;
  rmSync(work, { recursive: true, force: true });
});

// Another process that takes the lock on `key` and keeps it until killed.
async function holdInChild(key: string): Promise<ChildProcess> {
  const script = `import(${JSON.stringify(dist)}).then(async (m) => { await m.acquireTargetLock(${JSON.stringify(key)}, 'run test-holder', ${JSON.stringify(lockDir)}); process.stdout.write('held\\n'); setInterval(() => {}, 1000); });`;
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  holder = child;
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => String(chunk).includes('held') && resolve());
    child.once('exit', (code) => reject(new Error(`the holder exited (${code}) before taking the lock`)));
  });
  return child;
}

describe('the per-target lock', () => {
  test('a second process is refused with exit 2, naming the holder; the lock goes when its holder is killed -9', async () => {
    const key = join(work, 'instance');
    const child = await holdInChild(key);
    const refused = await acquireTargetLock(key, 'run second', lockDir).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TargetBusyError);
    expect((refused as TargetBusyError).exitCode).toBe(2);
    expect((refused as Error).message).toContain(`${key} is in use by another faultline process: pid ${child.pid}, run test-holder`);

    child.kill('SIGKILL');
    await waitForExit(child);
    const lock = await acquireTargetLock(key, 'run after', lockDir);
    lock.release();
    expect(readdirSync(lockDir)).toEqual([]);
  });

  test('locks of one process conflict too (a second open is another description), and release is idempotent', async () => {
    const key = join(work, 'target.yaml');
    const lock = await acquireTargetLock(key, 'run one', lockDir);
    const second = await tryTargetLock(key, 'run two', lockDir);
    expect('busy' in second && second.holder?.purpose).toBe('run one');
    lock.release();
    lock.release();
    const again = await tryTargetLock(key, 'run three', lockDir);
    expect('lock' in again).toBe(true);
    if ('lock' in again) again.lock.release();
    expect(readdirSync(lockDir)).toEqual([]);
  });

  test('several locks are taken all or none', async () => {
    const [a, b] = [join(work, 'a'), join(work, 'b')];
    await holdInChild(b);
    await expect(acquireTargetLocks([a, b], 'run both', lockDir)).rejects.toBeInstanceOf(TargetBusyError);
    // a was released again when b was refused.
    const lock = await acquireTargetLock(a, 'run a', lockDir);
    lock.release();
  });

  test('a directory not created yet is keyed by its real parent', () => {
    expect(canonicalizePath(join(work, '.', 'later', '..', 'later', 'deeper'))).toBe(join(canonicalizePath(work), 'later', 'deeper'));
    expect(existsSync(join(work, 'later'))).toBe(false);
  });
});
