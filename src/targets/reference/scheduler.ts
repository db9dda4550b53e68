// The check-in scheduler (upstream's nohup'd schedule_with_note.sh): every CHECKIN_INTERVAL_MS it sends a
// check-in line to the orchestrator agent (through python3 lib/tmux_utils.py, as upstream does), touches its
// heartbeat and persists its state in the data area. Run as `node scheduler.js <dir>`.
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { readConfigText } from './config-file.js';
import { writeDataFile } from './data-area.js';
import { describeFailure, runCommand, runSocketTmux, type CommandResult } from './exec.js';
import { getWindowTarget } from './layout.js';
import { ORCHESTRATOR_SESSION, getReferencePaths } from './paths.js';
import { readReferenceState } from './state.js';

const dirArg = process.argv[2];
if (!dirArg) {
  process.stderr.write('usage: scheduler.js <dir>\n');
  process.exit(2);
}
const paths = getReferencePaths(resolve(dirArg));
const target = getWindowTarget(ORCHESTRATOR_SESSION, 0);
const instance = readReferenceState(paths.state);
let stateSaved = true;
let intervalMs = 2000;
let configKey = '';
let count = 0;
let stopping = false;
let timer: NodeJS.Timeout | undefined;

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopping = true;
    if (timer) clearTimeout(timer);
  });
}

touchHeartbeat();
scheduleNext();

function scheduleNext(): void {
  if (stopping || shouldExit()) return;
  readInterval();
  timer = setTimeout(() => void checkIn(), intervalMs);
}

async function checkIn(): Promise<void> {
  if (stopping || shouldExit()) return;
  count += 1;
  const t = performance.timeOrigin + performance.now();
  const note = `checkin ${count} ${t.toFixed(3)}`;
  const result = await sendCheckin(note);
  touchHeartbeat();
  log(result.exitCode === 0 ? `scheduler: sent ${note}` : `scheduler: check-in ${count} failed: ${describeFailure(result)}`);
  saveState(t, result.exitCode === 0);
  scheduleNext();
}

// A failed fork (EAGAIN under a process budget) or a missing python3 shows up here, in logs/orchestrator.log.
function sendCheckin(note: string): Promise<CommandResult> {
  if (instance?.checkinVia === 'python3') return runCommand('python3', [paths.tmuxUtils, 'send', paths.socket, target, note], { timeoutMs: 3000 });
  return runSocketTmux(paths.socket, ['send-keys', '-t', target, '-l', note, ';', 'send-keys', '-t', target, 'Enter'], { timeoutMs: 2000 });
}

// The orchestrator's persisted state: a full data area (ENOSPC) loses it, as seed 000 SPOF-004 describes.
function saveState(t: number, sent: boolean): void {
  if (!instance?.data) return;
  try {
    writeDataFile(instance.data, relative(instance.data.path, paths.schedulerState), `${JSON.stringify({ count, t, sent })}\n`);
    if (!stateSaved) log('scheduler: state saved again');
    stateSaved = true;
  } catch (error) {
    stateSaved = false;
    log(`scheduler: state not saved: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

// The interval follows the config; a config that does not parse keeps the last good value.
function readInterval(): void {
  try {
    const stat = statSync(paths.config);
    const key = `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
    if (key === configKey) return;
    configKey = key;
    const result = readConfigText(readFileSync(paths.config, 'utf8'));
    if (result.ok) intervalMs = result.config.checkinIntervalMs;
  } catch {
    // Missing or unreadable config: keep the last interval (the healer restores the file).
  }
}

function shouldExit(): boolean {
  return !existsSync(paths.dir) || existsSync(paths.stopFile);
}

function touchHeartbeat(): void {
  try {
    writeFileSync(paths.schedulerHeartbeat, `${count} ${(performance.timeOrigin + performance.now()).toFixed(3)}\n`);
  } catch {
    // The run directory is gone: shouldExit() ends us on the next tick.
  }
}

function log(message: string): void {
  try {
    appendFileSync(paths.orchestratorLog, `${new Date().toISOString()} ${message}\n`);
  } catch {
    // A full or missing log must not stop check-ins.
  }
}
