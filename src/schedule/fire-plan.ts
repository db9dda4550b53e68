// `faultline schedule fire <plan>`: what the host's scheduler starts at each scheduled time. It keeps
// the plan's concurrency rule, waits its random delay, and then runs the plan with `gameday run`, which
// checks the allowed window at the moment it starts and records a start outside it as skipped. A start
// the concurrency rule refuses is recorded as skipped here (reports/<run-id>/skipped.json and the history).
import { setTimeout as sleep } from 'node:timers/promises';
import { randomInt } from 'node:crypto';
import { resolve } from 'node:path';
import { execa } from 'execa';
import { createRunId } from '../run/run-id.js';
import { tryTargetLock, describeHolder, type TargetLock } from '../run/target-lock.js';
import { getPackagePath } from '../util/package-root.js';
import { indexRunDir } from '../history/index-run.js';
import { getDefaultHistoryPath } from '../history/open-history.js';
import { openFilledHistory } from '../history/rebuild-history.js';
import { writeSkippedRun } from '../history/skipped-run.js';
import { getScheduleName, readPlanSchedule, type PlanSchedule } from './plan-schedule.js';
import { findUntrustedPlanFile } from './plan-trust.js';

/** How a fire was asked to run. */
export interface FireOptions {
  reportsDir: string;
  history?: string;
  now?: () => Date;
  /** What runs the plan; default `faultline gameday run <plan> --no-dashboard --reports <dir>`. */
  runPlan?: (plan: PlanSchedule) => Promise<number>;
  log?: (line: string) => void;
}

/** What happened: the plan ran (with its exit code), or it was skipped (with why, and the folder recording it). */
export type FireOutcome = { ran: true; exitCode: number } | { ran: false; reason: string; dir: string };

/** Fires the plan once. */
export async function firePlan(planFile: string, options: FireOptions): Promise<FireOutcome> {
  const plan = await readPlanSchedule(planFile);
  const now = options.now ?? (() => new Date());
  // Checked again at each start: the files may have changed hands since install.
  const untrusted = await findUntrustedPlanFile(plan.file);
  if (untrusted !== undefined) return recordSkip(plan, `not run: ${untrusted} (another user could change what it runs); keep the plan, its scenarios and their directories writable by this user only`, now(), options);
  let lock: TargetLock | undefined;
  if (plan.concurrency === 'forbid') {
    const attempt = await tryTargetLock(`schedule:${getScheduleName(plan.file)}`, `scheduled run of ${plan.file}`);
    if (!('lock' in attempt)) return recordSkip(plan, `the previous scheduled run of this plan is still going (${describeHolder(attempt.holder)}; concurrency: forbid)`, now(), options);
    lock = attempt.lock;
  }
  try {
    if (plan.randomDelayMs > 0) {
      const delay = randomInt(0, Math.floor(plan.randomDelayMs) + 1);
      options.log?.(`waiting the random delay: ${delay} ms of up to ${plan.randomDelayMs} ms`);
      await sleep(delay);
    }
    const exitCode = await (options.runPlan ? options.runPlan(plan) : runGameDay(plan, resolve(options.reportsDir), options.history));
    return { ran: true, exitCode };
  } finally {
    lock?.release();
  }
}

async function recordSkip(plan: PlanSchedule, reason: string, at: Date, options: FireOptions): Promise<FireOutcome> {
  const dir = writeSkippedRun(resolve(options.reportsDir), { kind: 'skipped', runId: createRunId(at), plan: plan.file, title: plan.title, at: at.toISOString(), reason });
  // A new store is filled from the folders, the skip among them; an existing one only needs the skip.
  const { db, fresh } = await openFilledHistory(options.history ?? getDefaultHistoryPath(options.reportsDir), options.reportsDir);
  try {
    if (!fresh) await indexRunDir(db, dir);
  } finally {
    db.close();
  }
  return { ran: false, reason, dir };
}

// The plan runs as its own faultline process, so its signals, exit code and journal are a game day's own.
async function runGameDay(plan: PlanSchedule, reportsDir: string, history: string | undefined): Promise<number> {
  const args = [getPackagePath('bin', 'faultline.js'), 'gameday', 'run', plan.file, '--no-dashboard', '--reports', reportsDir, ...(history ? ['--history', history] : [])];
  const result = await execa(process.execPath, args, { stdio: 'inherit', reject: false });
  return result.exitCode ?? 3;
}
