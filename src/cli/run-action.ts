// What `faultline run` does: load, recover if asked, run with live progress, write reports, print the verdict.
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadScenarios } from '../scenario/load.js';
import { checkMaxInputBytes } from '../scenario/input-limits.js';
import { Ledger, describeQuarantined } from '../run/ledger.js';
import { recoverIntents } from '../run/recover.js';
import { runScenarios } from '../run/run-scenarios.js';
import { writeReports } from '../report/write-reports.js';
import { AbortError, ExitCode, InputError } from '../errors.js';
import { formatPlans } from '../plan/format-plan.js';
import { assertPlansAllowed, planScenarios, type ScenarioPlan } from '../plan/plan-scenarios.js';
import type { RunArgs } from './commands/run.js';
import { createProgressPrinter, printSummaryTable } from './progress-printer.js';
import { paint } from './paint.js';
import { sanitizeForTerminal } from '../util/terminal-text.js';
import type { BaselineFinding } from '../history/baseline-gate.js';
import { applyBaselineGate, checkHistoryArgs, openHistoryForRun, readHistoryStep } from './run-history-step.js';

/** Runs the command and returns the exit code. */
export async function runAction(args: RunArgs): Promise<number> {
  if (args.healDelayMs !== undefined && (!Number.isFinite(args.healDelayMs) || args.healDelayMs < 0)) {
    throw new InputError(`--heal-delay-ms: expected a number ≥ 0; got ${args.healDelayMs}`);
  }
  const scenarios = await loadScenarios(args.paths, {
    ...(args.tag?.length ? { tags: args.tag } : {}),
    ...(args.maxInputBytes !== undefined ? { maxInputBytes: checkMaxInputBytes(args.maxInputBytes, '--max-input-bytes') } : {}),
  });
  const ledger = new Ledger(undefined, { onQuarantine: (file) => process.stderr.write(`${paint.yellow(`warning: ${sanitizeForTerminal(describeQuarantined(file))}`)}\n`) });

  // Installed before anything can start (planning may start a throwaway instance): a signal rolls back
  // and stops what was started, instead of killing the process with it still running.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) {
      process.stderr.write(`\n${paint.red(`${signal} again: exiting now; run \`faultline recover\` to undo anything left`)}\n`);
      process.exit(3);
    }
    printer?.stop();
    process.stderr.write(`\n${paint.yellow(`${signal}: rolling back and writing the journal… (again to force)`)}\n`);
    controller.abort(signal);
  };
  // The live line (phase, countdown, ETA) only on a terminal; never with --quiet or --json.
  const printer = args.quiet || args.json ? undefined : createProgressPrinter(process.stderr, {
    live: Boolean(process.stderr.isTTY) && process.env.TERM !== 'dumb',
    totalRuns: scenarios.reduce((sum, scenario) => sum + scenario.runs, 0),
  });
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let history: Awaited<ReturnType<typeof openHistoryForRun>>;
  try {
    // Every fault is planned (guards checked) before anything starts: bad params exit 2 with nothing touched.
    checkHistoryArgs(args);
    const plans = await planScenarios(scenarios, { ledger, signal: controller.signal, ...(args.targetDir ? { targetDir: args.targetDir } : {}) });
    if (args.dryRun) return printDryRun(plans, args.json);
    assertPlansAllowed(plans);
    if (args.recover) {
      const report = await recoverIntents(ledger);
      for (const line of report.lines) process.stderr.write(`recover: ${sanitizeForTerminal(line)}\n`);
    }
    if (controller.signal.aborted) throw new AbortError('interrupted before the run started: nothing was injected');
    const outcome = await runScenarios(scenarios, {
      heal: args.heal === 'on',
      guardrails: args.guardrails !== 'off',
      ...(args.healDelayMs !== undefined ? { healDelayMs: args.healDelayMs } : {}),
      gate: args.gate,
      reportsDir: args.reports,
      ...(args.targetDir ? { targetDir: args.targetDir } : {}),
      ledger,
      ...(args.preparedBy || args.reviewer ? { signOff: { ...(args.preparedBy ? { preparedBy: args.preparedBy } : {}), ...(args.reviewer ? { reviewer: args.reviewer } : {}) } } : {}),
      signal: controller.signal,
      onProgress: printer ?? (() => {}),
      // Opened only for a real run that holds its targets: --dry-run and a refused run write nothing, not even a new store.
      openLockedListeners: async () => {
        history = await openHistoryForRun(args);
        return history ? [history.createListener((problem) => process.stderr.write(`${paint.yellow(`warning: ${sanitizeForTerminal(problem)}`)}\n`))] : [];
      },
    });
    printer?.stop();
    const step = await readHistoryStep(history, outcome.summary, args);
    // A baseline regression fails the gate after the run: summary.json, the reports and the store carry
    // the exit code the process ends with (the verdict stays: every expectation was met).
    const exitCode = applyBaselineGate(outcome.exitCode, step.findings, args.gate);
    const gateFailed = exitCode !== outcome.exitCode;
    const summary = gateFailed ? { ...outcome.summary, exitCode } : outcome.summary;
    if (gateFailed) history?.recordExitCode(summary.runId, exitCode);
    const written = await writeReports(summary, outcome.runDir, { history: step.earlier, notes: step.notes });
    if (args.metrics) {
      const { writeMetricsFile } = await import('../report/openmetrics.js');
      writeMetricsFile(args.metrics, summary);
    }
    const report = { dir: resolve(outcome.runDir), html: resolve(written.html), url: pathToFileURL(resolve(written.html)).href, summary: resolve(written.summaryJson), junit: resolve(written.junit), markdown: resolve(written.markdown) };
    if (args.json) {
      // summary.json as written, plus where the report is (not part of summary.json itself).
      process.stdout.write(`${JSON.stringify({ ...summary, report, ...(args.baseline !== undefined ? { baseline: step.findings } : {}) }, null, 2)}\n`);
    } else {
      printSummaryTable(summary, process.stdout);
      printBaseline(step.findings, gateFailed);
      process.stdout.write(`\nSummary: ${relative(process.cwd(), written.summaryJson) || report.summary}\n`);
      process.stdout.write(`Report:  ${report.html}\n         ${report.url}\n`);
    }
    return exitCode;
  } finally {
    history?.close();
    printer?.stop();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// --dry-run: the plan on stdout; exit 2 when a guard would refuse a scenario.
function printDryRun(plans: readonly ScenarioPlan[], json: boolean): number {
  process.stdout.write(json ? `${JSON.stringify({ dryRun: true, scenarios: plans }, null, 2)}\n` : sanitizeForTerminal(formatPlans(plans), { multiline: true }));
  return plans.some((plan) => plan.problem) ? ExitCode.invalidInput : ExitCode.ok;
}

// The baseline gate's findings under the table; a regression that changed the exit code says so.
function printBaseline(findings: readonly BaselineFinding[], failed: boolean): void {
  if (findings.length === 0) return;
  process.stdout.write('\nBaseline:\n');
  for (const finding of findings) {
    const mark = finding.status === 'regressed' ? paint.red('REGRESSED') : finding.status === 'ok' ? paint.green('ok') : paint.yellow('no baseline');
    process.stdout.write(`  ${mark} ${sanitizeForTerminal(finding.message)}\n`);
  }
  if (failed) process.stdout.write(`${paint.red('GATE FAILED: a scenario regressed against its baseline (exit 1)')}\n`);
}
