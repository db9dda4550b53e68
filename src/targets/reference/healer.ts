// The healer: a detached process outside tmux that checks and repairs the orchestrator every heal interval,
// appending each detection and repair to healer/events.jsonl (the ground truth for recovery times).
// Run as `node healer.js <dir>`; exits when <dir> or its run/stop file appears/disappears, or on SIGTERM.
import { appendFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { readConfigText } from './config-file.js';
import { findConfigProblems, findLogProblems, findSchedulerProblems, findTmpProblems } from './heal-files.js';
import type { Finding, HealContext, HealerEvent } from './heal-context.js';
import { findTmuxProblems, listPanes } from './heal-tmux.js';
import { getReferencePaths } from './paths.js';
import { readReferenceState } from './state.js';
import { writeRegistry } from './registry.js';

const dirArg = process.argv[2];
if (!dirArg) {
  process.stderr.write('usage: healer.js <dir>\n');
  process.exit(2);
}
const paths = getReferencePaths(resolve(dirArg));
const state = readReferenceState(paths.state);
if (!state) {
  process.stderr.write(`healer: no readable target.json in ${paths.dir}\n`);
  process.exit(2);
}
const initialConfig = readConfigText(readFileSync(paths.lastKnownGood, 'utf8'));
if (!initialConfig.ok) {
  process.stderr.write(`healer: last-known-good config does not parse: ${initialConfig.problem}\n`);
  process.exit(2);
}

const context: HealContext = {
  paths,
  state,
  launch: { paths, nodePath: state.nodePath, scripts: state.scripts },
  env: state.env,
  config: initialConfig.config,
  agentCommand: basename(state.nodePath).slice(0, 15),
  schedulerStartedAt: Date.now(),
};
const intervalMs = state.options.healIntervalMs;
const delayMs = state.options.healDelayMs;
// Subjects whose repair failed wait before the next attempt, so a lasting fault does not flood the log.
const backoff = new Map<string, { until: number; failures: number }>();
const wake = new AbortController();
let stopping = false;

for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
  process.on(signal, () => {
    stopping = true;
    wake.abort();
  });
}

log(`healer started (pid ${process.pid}, interval ${intervalMs} ms, delay ${delayMs} ms)`);
await runLoop();
log(`healer stopped (pid ${process.pid})`);

async function runLoop(): Promise<void> {
  let ticks = 0;
  while (!shouldStop()) {
    const started = performance.now();
    try {
      await runTick();
    } catch (error) {
      log(`tick failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    ticks += 1;
    writeQuietly(paths.healerHeartbeat, `${ticks} ${now().toFixed(3)}\n`);
    await sleep(intervalMs - (performance.now() - started));
  }
}

// Order matters: a missing server hides its sessions, a missing session hides its windows.
async function runTick(): Promise<void> {
  const listing = await listPanes(context);
  const observedAt = now();
  const tmuxRepaired = await handle(findTmuxProblems(context, listing), observedAt);
  if (tmuxRepaired > 0) await writeRegistry(paths, state!.env);
  await handle(await findConfigProblems(context), now());
  await handle(findSchedulerProblems(context), now());
  await handle(findTmpProblems(context), now());
  await handle(findLogProblems(context), now());
}

async function handle(findings: Finding[], observedAt: number): Promise<number> {
  const due = findings.filter((finding) => (backoff.get(keyOf(finding))?.until ?? 0) <= performance.now());
  if (due.length === 0 || shouldStop()) return 0;
  for (const finding of due) record({ t: observedAt, event: 'detect', component: finding.component, subject: finding.subject, detail: finding.detail });
  if (delayMs > 0) await sleep(delayMs);
  let repaired = 0;
  for (const finding of due) {
    if (shouldStop()) break;
    try {
      const detail = await finding.repair();
      record({ t: now(), event: 'repair', component: finding.component, subject: finding.subject, detail });
      backoff.delete(keyOf(finding));
      repaired += 1;
    } catch (error) {
      record({ t: now(), event: 'repair-failed', component: finding.component, subject: finding.subject, detail: error instanceof Error ? error.message : String(error) });
      const failures = (backoff.get(keyOf(finding))?.failures ?? 0) + 1;
      backoff.set(keyOf(finding), { failures, until: performance.now() + Math.min(5000, 100 * 2 ** failures) });
    }
  }
  return repaired;
}

function record(event: HealerEvent): void {
  writeQuietly(paths.events, `${JSON.stringify(event)}\n`, true);
  log(`${event.event} ${event.component} ${event.subject}: ${event.detail}`);
}

function keyOf(finding: Finding): string {
  return `${finding.component}\t${finding.subject}`;
}

function shouldStop(): boolean {
  return stopping || !existsSync(paths.dir) || existsSync(paths.stopFile);
}

function now(): number {
  return performance.timeOrigin + performance.now();
}

function sleep(ms: number): Promise<void> {
  return new Promise((done) => {
    if (wake.signal.aborted || ms <= 0) return done();
    const timer = setTimeout(finish, ms);
    wake.signal.addEventListener('abort', finish, { once: true });
    function finish() {
      clearTimeout(timer);
      wake.signal.removeEventListener('abort', finish);
      done();
    }
  });
}

function log(message: string): void {
  writeQuietly(paths.healerLog, `${new Date().toISOString()} ${message}\n`, true);
}

function writeQuietly(path: string, text: string, append = false): void {
  try {
    if (append) appendFileSync(path, text);
    else writeFileSync(path, text);
  } catch {
    // The directory is being removed; shouldStop() ends the loop.
  }
}
