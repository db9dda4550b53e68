// What the schedule commands print: the entry written, the next run times, what was removed, what a fire did.
import { relative } from 'node:path';
import { ExitCode, InputError } from '../errors.js';
import { firePlan } from '../schedule/fire-plan.js';
import { installSchedule, listSchedules, removeSchedule } from '../schedule/manage-schedules.js';
import { sanitizeForTerminal } from '../util/terminal-text.js';
import type { ScheduleFireArgs, ScheduleListArgs, SchedulePlanArgs } from './commands/schedule.js';

const write = (text: string) => process.stdout.write(sanitizeForTerminal(text, { multiline: true }));

/** `schedule install <plan>`. */
export async function runScheduleInstall(args: SchedulePlanArgs): Promise<number> {
  const result = await installSchedule(args.plan, { ...choice(args), reportsDir: args.reports });
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...result, next: result.next.map((date) => date.toISOString()) }, null, 2)}\n`);
    return ExitCode.ok;
  }
  write(`Scheduled ${result.entry.title} (${result.entry.name}) with ${result.scheduler}: ${result.entry.cron} ${result.entry.timezone}\n`);
  for (const line of result.lines) write(`  ${line}\n`);
  write(`  next: ${result.next.map((date) => date.toISOString()).join(', ')}\n`);
  return ExitCode.ok;
}

/** `schedule list`. */
export async function runScheduleList(args: ScheduleListArgs): Promise<number> {
  if (!Number.isInteger(args.count) || args.count < 1 || args.count > 100) throw new InputError(`--count: expected a whole number from 1 to 100; got ${args.count}`);
  const result = await listSchedules({ ...choice(args), count: args.count });
  if (args.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return ExitCode.ok;
  }
  if (result.schedules.length === 0) {
    write(`No faultline schedules in ${result.where}.\n`);
    return ExitCode.ok;
  }
  for (const entry of result.schedules) {
    write(`${entry.name}  ${entry.title}\n  plan: ${relative(process.cwd(), entry.plan) || entry.plan}\n  ${result.scheduler}: ${entry.cron} (${entry.timezone})\n`);
    write(entry.problem ? `  cannot compute the next runs: ${entry.problem}\n` : `  next: ${entry.next.join(', ')}\n`);
  }
  return ExitCode.ok;
}

/** `schedule remove <plan>`. */
export async function runScheduleRemove(args: SchedulePlanArgs): Promise<number> {
  const removed = await removeSchedule(args.plan, choice(args));
  if (args.json) process.stdout.write(`${JSON.stringify({ removed: removed.name, from: removed.where })}\n`);
  else write(`Removed ${removed.name} from ${removed.where}\n`);
  return ExitCode.ok;
}

/** `schedule fire <plan>`: the plan's exit code, or 0 for a recorded skip (a skip is the schedule working). */
export async function runScheduleFire(args: ScheduleFireArgs): Promise<number> {
  const outcome = await firePlan(args.plan, { reportsDir: args.reports, ...(args.history ? { history: args.history } : {}), log: (line) => process.stderr.write(`${sanitizeForTerminal(line)}\n`) });
  if (outcome.ran) return outcome.exitCode;
  write(`skipped: ${outcome.reason}\n  recorded in ${relative(process.cwd(), outcome.dir) || outcome.dir}\n`);
  return ExitCode.ok;
}

function choice(args: SchedulePlanArgs | ScheduleListArgs) {
  return { scheduler: args.scheduler, ...(args.crontab ? { crontab: args.crontab } : {}), ...(args.unitDir ? { unitDir: args.unitDir } : {}) };
}
