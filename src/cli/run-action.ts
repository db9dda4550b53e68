// What `faultline run` does: load, recover if asked, run with live progress, write reports, print the verdict.
import { relative } from 'node:path';
import { loadScenarios } from '../scenario/load.js';
import { checkMaxInputBytes } from '../scenario/input-limits.js';
import { Ledger } from '../run/ledger.js';
import { recoverIntents } from '../run/recover.js';
import { runScenarios } from '../run/run-scenarios.js';
import { writeReports } from '../report/write-reports.js';
import { ExitCode, InputError } from '../errors.js';
import { formatPlans } from '../plan/format-plan.js';
import { assertPlansAllowed, planScenarios, type ScenarioPlan } from '../plan/plan-scenarios.js';
import type { RunArgs } from './commands/run.js';
import { createProgressPrinter, printSummaryTable } from './progress-printer.js';
import { paint } from './paint.js';
import { sanitizeForTerminal } from '../util/terminal-text.js';

/** Runs the command and returns the exit code. */
export async function runAction(args: RunArgs): Promise<number> {
  if (args.healDelayMs !== undefined && (!Number.isFinite(args.healDelayMs) || args.healDelayMs < 0)) {
    throw new InputError(`--heal-delay-ms: expected a number ≥ 0; got ${args.healDelayMs}`);
  }
  const scenarios = await loadScenarios(args.paths, {
    ...(args.tag?.length ? { tags: args.tag } : {}),
    ...(args.maxInputBytes !== undefined ? { maxInputBytes: checkMaxInputBytes(args.maxInputBytes, '--max-input-bytes') } : {}),
  });
  const ledger = new Ledger();
  // Every fault is planned (guards checked) before anything starts: bad params exit 2 with nothing touched.
  const plans = await planScenarios(scenarios, { ledger, ...(args.targetDir ? { targetDir: args.targetDir } : {}) });
  if (args.dryRun) return printDryRun(plans, args.json);
  assertPlansAllowed(plans);
  if (args.recover) {
    const report = await recoverIntents(ledger);
    for (const line of report.lines) process.stderr.write(`recover: ${sanitizeForTerminal(line)}\n`);
  }

  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) {
      process.stderr.write(`\n${paint.red(`${signal} again: exiting now; run \`faultline recover\` to undo anything left`)}\n`);
      process.exit(3);
    }
    process.stderr.write(`\n${paint.yellow(`${signal}: rolling back and writing the journal… (again to force)`)}\n`);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const outcome = await runScenarios(scenarios, {
      heal: args.heal === 'on',
      ...(args.healDelayMs !== undefined ? { healDelayMs: args.healDelayMs } : {}),
      gate: args.gate,
      reportsDir: args.reports,
      ...(args.targetDir ? { targetDir: args.targetDir } : {}),
      ledger,
      signal: controller.signal,
      onProgress: args.quiet || args.json ? () => {} : createProgressPrinter(process.stderr),
    });
    const written = await writeReports(outcome.summary, outcome.runDir);
    if (args.json) {
      process.stdout.write(`${JSON.stringify(outcome.summary, null, 2)}\n`);
    } else {
      printSummaryTable(outcome.summary, process.stdout);
      process.stdout.write(`\nReport: ${relative(process.cwd(), written.html) || written.html}\n`);
      process.stdout.write(`Summary: ${relative(process.cwd(), written.summaryJson)}\n`);
    }
    return outcome.exitCode;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// --dry-run: the plan on stdout; exit 2 when a guard would refuse a scenario.
function printDryRun(plans: readonly ScenarioPlan[], json: boolean): number {
  process.stdout.write(json ? `${JSON.stringify({ dryRun: true, scenarios: plans }, null, 2)}\n` : sanitizeForTerminal(formatPlans(plans), { multiline: true }));
  return plans.some((plan) => plan.problem) ? ExitCode.invalidInput : ExitCode.ok;
}
