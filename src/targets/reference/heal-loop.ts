// The healer's loop: checks and repairs the orchestrator every heal interval, appending each detection
// and repair to healer/events.jsonl (the ground truth for recovery times). healer.ts runs it in a
// detached process outside tmux; importing this module starts nothing.
import { appendFileSync, existsSync, mkdirSync, readFileSync, watch, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { readConfigText } from './config-file.js';
import { findConfigProblems, findLogProblems, findSchedulerProblems, findTmpProblems } from './heal-files.js';
import type { Finding, HealContext, HealerEvent } from './heal-context.js';
import { findTmuxProblems, isForkFailure, listPanes } from './heal-tmux.js';
import { findDiskProblems } from './heal-disk.js';
import { findResourceProblems } from './heal-resources.js';
import { getReferencePaths } from './paths.js';
import { readReferenceState } from './state.js';
import { writeRegistry } from './registry.js';

/**
 * Heals the instance in `dir` until `dir` disappears, `<dir>/run/stop` appears or `stop` aborts; returns
 * why it could not start (no readable state, a last-known-good config that does not parse), else undefined.
 */
export async function runHealer(dir: string, stop: AbortSignal): Promise<string | undefined> {
  const paths = getReferencePaths(dir);
  const state = readReferenceState(paths.state);
  if (!state) return `no readable target.json in ${paths.dir}`;
  const initialConfig = readConfigText(readFileSync(paths.lastKnownGood, 'utf8'));
  if (!initialConfig.ok) return `last-known-good config does not parse: ${initialConfig.problem}`;

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
  let lastForkNote = -Infinity;
  let diskCheck = Promise.resolve();
  let lastDiskCheck = -Infinity;
  const DISK_CHECK_INTERVAL_MS = 500;

  const onStop = () => {
    stopping = true;
    wake.abort();
  };
  if (stop.aborted) onStop();
  else stop.addEventListener('abort', onStop, { once: true });

  log(`healer started (pid ${process.pid}, interval ${intervalMs} ms, delay ${delayMs} ms)`);
  watchDataArea();
  await runLoop();
  stop.removeEventListener('abort', onStop);
  log(`healer stopped (pid ${process.pid})`);
  return undefined;

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

  // Order matters: resources and disk first (they need no fork, and free what the rest needs); then a
  // missing server hides its sessions, a missing session hides its windows.
  async function runTick(): Promise<void> {
    await handle(findResourceProblems(context), now());
    // Free space is polled every half second (statfs each tick would be wasted work); see watchDataArea too.
    if (performance.now() - lastDiskCheck >= DISK_CHECK_INTERVAL_MS) {
      lastDiskCheck = performance.now();
      await checkDisk();
    }
    const listing = await listPanes(context);
    const observedAt = now();
    // A failed fork says nothing about tmux: leave the layout alone until processes can start again.
    if (!listing.ok && isForkFailure(listing.result)) {
      noteForkFailure(listing.result.error ?? 'fork failed');
      return;
    }
    const tmuxRepaired = await handle(findTmuxProblems(context, listing), observedAt);
    if (tmuxRepaired > 0) await writeRegistry(paths, state!.env);
    await handle(await findConfigProblems(context), now());
    await handle(await findSchedulerProblems(context), now());
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

  // Logged once per second at most: the log must not grow by a line per tick while forks fail.
  function noteForkFailure(message: string): void {
    if (performance.now() - lastForkNote < 1000) return;
    lastForkNote = performance.now();
    log(`cannot start processes (${message}): tmux checks skipped this tick`);
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

  // A file removed from the data area (a filler, say) re-arms the ballast at once (inotify), before another
  // fill can take its room; running short of space is found by the regular tick, as before.
  function watchDataArea(): void {
    const area = state?.data;
    if (!area) return;
    try {
      watch(area.path, { persistent: false }, (type, name) => {
        // Our own temp files come and go with every atomic write: not a sign of freed space.
        if (type === 'rename' && name && !name.endsWith('.tmp') && !existsSync(join(area.path, name))) void checkDisk({ retryMs: 100, onlyBallast: true });
      }).on('error', () => undefined);
    } catch {
      // No inotify here: the interval still catches everything.
    }
  }

  // One disk check at a time (the tick's and the watcher's); `retryMs`: the kernel frees a deleted file's
  // blocks a moment after the event, so keep looking that long for something to do.
  function checkDisk(options: { retryMs?: number; onlyBallast?: boolean } = {}): Promise<void> {
    diskCheck = diskCheck.then(async () => {
      const until = performance.now() + (options.retryMs ?? 0);
      for (;;) {
        const findings = findDiskProblems(context).filter((finding) => !options.onlyBallast || finding.subject !== 'data');
        if (findings.length > 0 || performance.now() >= until || shouldStop()) return void (await handle(findings, now()));
        await sleep(5);
      }
    });
    return diskCheck;
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

  // Faults may delete healer/ or logs/ (they are under the target's root): re-create the folder once.
  function writeQuietly(path: string, text: string, append = false): void {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        if (append) appendFileSync(path, text);
        else writeFileSync(path, text);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || !existsSync(paths.dir)) return;
        mkdirSync(dirname(path), { recursive: true });
      }
    }
  }
}
