// Helpers for tests that start real reference orchestrators: tmux only on an instance's own socket.
import { createHash } from 'node:crypto';
import { execa } from 'execa';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startReference, stopReference, type HealerEvent, type ReferenceOptions, type ReferenceTarget } from '../../../src/targets/reference/index.js';

/** Runs tmux on `socket` (never the default server); returns stdout, or undefined on failure. */
export async function tmuxOn(socket: string, args: string[]): Promise<string | undefined> {
  const result = await execa('tmux', ['-S', socket, ...args], { reject: false, stdin: 'ignore', timeout: 5000 });
  return result.exitCode === 0 ? String(result.stdout) : undefined;
}

/** Session → window names, as tmux lists them. */
export async function listWindows(socket: string): Promise<Record<string, string[]>> {
  const text = (await tmuxOn(socket, ['list-windows', '-a', '-F', '#{session_name}\t#{window_name}'])) ?? '';
  const windows: Record<string, string[]> = {};
  for (const line of text.split('\n').filter(Boolean)) {
    const [session, window] = line.split('\t') as [string, string];
    (windows[session] ??= []).push(window);
  }
  return windows;
}

/** Polls `check` every 20 ms until it returns a truthy value; throws with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => Promise<T> | T, timeoutMs = 5000): Promise<NonNullable<T>> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The healer's events.jsonl. */
export function readEvents(path: string): HealerEvent[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as HealerEvent);
}

/** True when anything is mounted at or under `dir` (per /proc/mounts). */
export function isAnythingMountedUnder(dir: string): boolean {
  return readFileSync('/proc/mounts', 'utf8')
    .split('\n')
    .some((line) => {
      const mountPoint = line.split(' ')[1] ?? '';
      return mountPoint === dir || mountPoint.startsWith(`${dir}/`);
    });
}

/** True when `pid` is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\S+ \(.*\) [ZX]/.test(stat);
  } catch {
    return false;
  }
}

/** Reads one integer from a file (pidfile, port file). */
export function readNumber(path: string): number {
  return Number.parseInt(readFileSync(path, 'utf8'), 10);
}

const started: string[] = [];

/** Starts an instance that stopStarted() will stop, pass or fail. */
export async function startTracked(options: ReferenceOptions = {}): Promise<ReferenceTarget> {
  const target = await startReference(options);
  started.push(target.dir);
  return target;
}

/** Stops every instance startTracked() started (for afterEach/afterAll). */
export async function stopStarted(): Promise<void> {
  await Promise.all(started.splice(0).map((dir) => stopReference(dir)));
}

/** Every pid in `<dir>/run/*.pid`. */
export function readRecordedPids(dir: string): number[] {
  const run = join(dir, 'run');
  return readdirSync(run)
    .filter((name) => name.endsWith('.pid'))
    .map((name) => readNumber(join(run, name)));
}

/** The pid of the process in a pane. */
export async function getPanePid(socket: string, target: string): Promise<number> {
  return Number(await tmuxOn(socket, ['display-message', '-p', '-t', target, '#{pane_pid}']));
}

/** sha256 of a file, hex: computed here, not by the code under test, to prove a rollback byte for byte. */
export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}
