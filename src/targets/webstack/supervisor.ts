// The web stack's supervisor, a program of its own (node dist/targets/webstack/supervisor.js <dir>):
// starts PostgreSQL, Redis, the API and the scheduler in order, restarts those whose spec says so, and
// logs each detection and repair to supervisor/events.jsonl (`t` epoch ms) — the target's own record.
// SIGTERM stops everything (API first, PostgreSQL last) and exits; SIGHUP restarts the API and the scheduler.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, openSync, closeSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { readProgramsFile, type ProgramSpec, type ProgramsFile } from './programs.js';

const MAX_RESTART_DELAY_MS = 5000;
const STABLE_AFTER_MS = 10_000;
const READY_TIMEOUT_MS = 30_000;

interface Running {
  spec: ProgramSpec;
  child?: ChildProcess;
  startedAt: number;
  failures: number;
  timer?: NodeJS.Timeout;
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write('usage: supervisor.js <instance dir>\n');
  process.exit(2);
}
const file: ProgramsFile = readProgramsFile(join(dir, 'supervisor', 'programs.json'));
const running = new Map<string, Running>();
let stopping = false;

function now(): number {
  return performance.timeOrigin + performance.now();
}

function logEvent(event: 'detect' | 'repair' | 'repair-failed', subject: string, detail: string): void {
  try {
    appendFileSync(file.events, `${JSON.stringify({ t: now(), event, component: 'supervisor', subject, detail })}\n`);
  } catch {
    // The log is the target's; a full disk must not stop the supervisor.
  }
}

function say(line: string): void {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
}

function writePid(name: string, pid: number): void {
  const path = join(file.runDir, `${name}.pid`);
  try {
    writeFileSync(`${path}.tmp`, `${pid}\n`);
    renameSync(`${path}.tmp`, path);
  } catch (error) {
    say(`cannot write ${path}: ${String(error)}`);
  }
}

function removePid(name: string): void {
  rmSync(join(file.runDir, `${name}.pid`), { force: true });
}

function waitForPort(port: number, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  return new Promise((resolve) => {
    const attempt = () => {
      if (stopping) return resolve(false);
      const socket = connect({ host: '127.0.0.1', port });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => {
        socket.destroy();
        if (performance.now() > deadline) return resolve(false);
        setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

// Runs the ready command every 50 ms until it exits 0 (false after the deadline, or once stopping).
async function waitForCommand(command: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (!stopping && performance.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => execFile(command[0]!, command.slice(1), { timeout: 2000 }, (error) => resolve(!error)));
    if (ok) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return false;
}

async function start(entry: Running, restarted: boolean): Promise<void> {
  if (stopping) return;
  const { spec } = entry;
  const out = openSync(spec.log, 'a');
  let child: ChildProcess;
  try {
    child = spawn(spec.command, spec.args, { stdio: ['ignore', out, out], env: spec.env, cwd: dir });
  } finally {
    closeSync(out);
  }
  entry.child = child;
  entry.startedAt = performance.now();
  child.on('error', (error) => say(`${spec.name}: ${error.message}`));
  if (child.pid !== undefined) writePid(spec.name, child.pid);
  say(`${spec.name} started (pid ${child.pid})`);
  child.once('exit', (code, signal) => onExit(entry, child, code, signal));
  const portOpen = spec.readyPort === undefined ? true : await waitForPort(spec.readyPort, READY_TIMEOUT_MS);
  const ready = portOpen && (spec.readyCommand === undefined || (await waitForCommand(spec.readyCommand, READY_TIMEOUT_MS)));
  if (entry.child !== child || stopping) return;
  if (!ready) say(`${spec.name} not ready within ${READY_TIMEOUT_MS} ms (port ${spec.readyPort}${spec.readyCommand ? `, ${spec.readyCommand[0]}` : ''})`);
  if (restarted) logEvent(ready ? 'repair' : 'repair-failed', spec.name, ready ? `restarted (pid ${child.pid}), serving` : `restarted (pid ${child.pid}) but not ready`);
}

function onExit(entry: Running, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
  if (entry.child !== child) return;
  entry.child = undefined;
  removePid(entry.spec.name);
  const how = signal ? `signal ${signal}` : `exit code ${code}`;
  say(`${entry.spec.name} exited (${how})`);
  if (stopping || existsSync(file.stopFile)) return;
  if (!entry.spec.restart) return; // Not supervised: it stays down and nobody is told (the matrix's "no error notification").
  const upFor = performance.now() - entry.startedAt;
  entry.failures = upFor > STABLE_AFTER_MS ? 0 : entry.failures + 1;
  const delay = Math.min(MAX_RESTART_DELAY_MS, entry.spec.restartDelayMs * 2 ** Math.max(0, entry.failures - 1));
  logEvent('detect', entry.spec.name, `exited (${how}); restart in ${delay} ms`);
  entry.timer = setTimeout(() => {
    entry.timer = undefined;
    void start(entry, true);
  }, delay);
}

function signalChild(entry: Running, signal: NodeJS.Signals): void {
  try {
    entry.child?.kill(signal);
  } catch {
    // Gone.
  }
}

async function stopProgram(entry: Running, graceMs: number): Promise<void> {
  if (entry.timer) clearTimeout(entry.timer);
  const child = entry.child;
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  signalChild(entry, 'SIGCONT');
  signalChild(entry, entry.spec.stopSignal);
  const timer = setTimeout(() => signalChild(entry, 'SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

async function stopAll(): Promise<void> {
  if (stopping) return;
  stopping = true;
  say('stopping');
  // The API and scheduler first (they need the others), PostgreSQL last.
  for (const entry of [...running.values()].reverse()) await stopProgram(entry, entry.spec.name === 'postgres' ? 8000 : 3000);
  say('stopped');
  process.exit(0);
}

async function restartApplications(): Promise<void> {
  for (const name of ['api', 'scheduler']) {
    const entry = running.get(name);
    if (!entry || stopping) continue;
    say(`${name}: restart requested (SIGHUP)`);
    const restart = entry.spec.restart;
    entry.spec.restart = false; // This exit is asked for: no detection, no back-off.
    await stopProgram(entry, 3000);
    entry.spec.restart = restart;
    entry.failures = 0;
    await start(entry, false);
  }
}

process.on('SIGTERM', () => void stopAll());
process.on('SIGINT', () => void stopAll());
process.on('SIGHUP', () => void restartApplications());

async function main(): Promise<void> {
  if (existsSync(file.stopFile)) return process.exit(0);
  for (const spec of file.programs) {
    const entry: Running = { spec, startedAt: performance.now(), failures: 0 };
    running.set(spec.name, entry);
    await start(entry, false);
  }
  say('all programs started');
}

void main();
