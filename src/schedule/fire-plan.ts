// `faultline schedule fire <plan>`: what the host's scheduler starts at each scheduled time. It checks
// the plan's allowed window and its concurrency rule, waits its random delay, and then runs the plan;
// a run it does not start is recorded as skipped (reports/<run-id>/skipped.json and the history).
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
import { checkAllowedWindow } from './allowed-window.js';
import { getScheduleName, readPlanSchedule, type PlanSchedule } from './plan-schedule.js';

/** How a fire was asked to run. */
export interface FireOptions {
  reportsDir: string;
  history?: string;
  now?: () => Date;
  /** What runs the plan; default `faultline gameday run <plan> --no-dashboard`. */
  runPlan?: (plan: PlanSchedule) => Promise<number>;
  log?: (line: string) => void;
}

/** What happened: the plan ran (with its exit code), or it was skipped (with why, and the folder recording it). */
export type FireOutcome = { ran: true; exitCode: number } | { ran: false; reason: string; dir: string };

/** Fires the plan once. */
export async function firePlan(planFile: string, options: FireOptions): Promise<FireOutcome> {
  const plan = readPlanSchedule(planFile);
  const now = options.now ?? (() => new Date());
  const log = options.log ?? (() => {});
  const skip = (reason: string) => recordSkip(plan, reason, now(), options);
  const before = checkAllowedWindow(plan.window, now());
  if (!before.inside) return skip(`started outside the plan's allowed window: ${before.reason}`);
  let lock: TargetLock | undefined;
  if (plan.concurrency === 'forbid') {
    const attempt = await tryTargetLock(`schedule:${getScheduleName(plan.file)}`, `scheduled run of ${plan.file}`);
    if (!('lock' in attempt)) return skip(`the previous scheduled run of this plan is still going (${describeHolder(attempt.holder)}; concurrency: forbid)`);
    lock = attempt.lock;
  }
  try {
    if (plan.randomDelayMs > 0) {
      const delay = randomInt(0, Math.floor(plan.randomDelayMs) + 1);
      log(`waiting the random delay: ${delay} ms of up to ${plan.randomDelayMs} ms`);
      await sleep(delay);
      // The run starts after the delay: it must still be inside the window then.
      const after = checkAllowedWindow(plan.window, now());
      if (!after.inside) return await skip(`the random delay ended outside the plan's allowed window: ${after.reason}`);
    }
    const exitCode = await (options.runPlan ? options.runPlan(plan) : runGameDay(plan, resolve(options.reportsDir)));
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
async function runGameDay(plan: PlanSchedule, reportsDir: string): Promise<number> {
  const result = await execa(process.execPath, [getPackagePath('bin', 'faultline.js'), 'gameday', 'run', plan.file, '--no-dashboard', '--reports', reportsDir], { stdio: 'inherit', reject: false });
  return result.exitCode ?? 3;
}
