// The check-in scheduler (upstream's nohup'd schedule_with_note.sh): every CHECKIN_INTERVAL_MS it sends a
// check-in line to the orchestrator agent and touches its heartbeat. Run as `node scheduler.js <dir>`.
import { appendFileSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { readConfigText } from './config-file.js';
import { describeFailure, runSocketTmux } from './exec.js';
import { getWindowTarget } from './layout.js';
import { ORCHESTRATOR_SESSION, getReferencePaths } from './paths.js';

const dirArg = process.argv[2];
if (!dirArg) {
  process.stderr.write('usage: scheduler.js <dir>\n');
  process.exit(2);
}
const paths = getReferencePaths(resolve(dirArg));
const target = getWindowTarget(ORCHESTRATOR_SESSION, 0);
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
  const result = await runSocketTmux(paths.socket, ['send-keys', '-t', target, '-l', note, ';', 'send-keys', '-t', target, 'Enter'], { timeoutMs: 2000 });
  touchHeartbeat();
  log(result.exitCode === 0 ? `scheduler: sent ${note}` : `scheduler: check-in ${count} failed: ${describeFailure(result)}`);
  scheduleNext();
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
