// What `faultline gameday run` does: load the plan, serve the dashboard, run the steps with live
// progress, write the run's reports and the game-day report, print the verdict.
import { relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadPlan } from '../gameday/load-plan.js';
import { runGameDay } from '../gameday/run-gameday.js';
import { Dashboard } from '../gameday/dashboard/dashboard-server.js';
import { buildGameDayReport } from '../gameday/report/build-report.js';
import { writeGameDayReport } from '../gameday/report/render-report.js';
import { readJournal } from '../journal/reader.js';
import { writeReports } from '../report/write-reports.js';
import { Ledger, describeQuarantined } from '../run/ledger.js';
import { checkMaxInputBytes } from '../scenario/input-limits.js';
import { InputError } from '../errors.js';
import type { RunEvent } from '../events/types.js';
import { sanitizeForTerminal as clean } from '../util/terminal-text.js';
import { createProgressPrinter, printSummaryTable } from './progress-printer.js';
import { paint } from './paint.js';

/** Options of `faultline gameday run` as parsed. */
export interface GameDayRunArgs {
  plan: string;
  dashboard: boolean;
  port: number;
  heal: 'on' | 'off';
  healDelayMs?: number;
  gate: boolean;
  reports: string;
  targetDir?: string;
  ignoreWindow: boolean;
  history?: string;
  json: boolean;
  quiet: boolean;
  maxInputBytes?: number;
}

/** Runs the plan and returns the exit code. */
export async function runGameDayAction(args: GameDayRunArgs): Promise<number> {
  if (args.healDelayMs !== undefined && (!Number.isFinite(args.healDelayMs) || args.healDelayMs < 0)) throw new InputError(`--heal-delay-ms: expected a number ≥ 0; got ${args.healDelayMs}`);
  if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new InputError(`--port: expected 0 (any free port) or a port number; got ${args.port}`);
  const loaded = await loadPlan(args.plan, args.maxInputBytes !== undefined ? { maxInputBytes: checkMaxInputBytes(args.maxInputBytes, '--max-input-bytes') } : {});
  const ledger = new Ledger(undefined, { onQuarantine: (file) => process.stderr.write(`${paint.yellow(`warning: ${clean(describeQuarantined(file))}`)}\n`) });
  const out = process.stderr;
  const printer = args.quiet || args.json ? undefined : createProgressPrinter(out, { live: Boolean(out.isTTY) && process.env.TERM !== 'dumb', totalRuns: loaded.scenarios.reduce((sum, scenario) => sum + scenario.runs, 0) });
  const say = (line: string) => { if (!args.quiet) out.write(`${line}\n`); };
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupts += 1;
    if (interrupts > 1) {
      out.write(`\n${paint.red(`${signal} again: exiting now; run \`faultline recover\` to undo anything left`)}\n`);
      process.exit(3);
    }
    printer?.stop();
    out.write(`\n${paint.yellow(`${signal}: rolling back and writing the journal… (again to force)`)}\n`);
    controller.abort(signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let history: Awaited<ReturnType<typeof openGameDayHistory>> | undefined;
  const dashboard = args.dashboard ? await Dashboard.start(args.port) : undefined;
  try {
    say(paint.bold(`game day: ${clean(loaded.plan.title)} (${loaded.steps.length} steps, ${loaded.scenarios.length} scenarios)`));
    // The token goes to the terminal of whoever started the game day, nowhere else.
    if (dashboard) say(`dashboard: ${dashboard.url}`);
    const listeners = [...(printer ? [printer] : []), ...(dashboard ? [dashboard] : []), ...(args.quiet || args.json ? [] : [createStepPrinter(say)])];
    // The history store is opened once the game day holds its targets: a refused one writes nothing.
    const openLockedListeners = async () => {
      if (args.history === 'off') return [];
      history = await openGameDayHistory(args);
      return [history.createListener((problem) => out.write(`${paint.yellow(`warning: ${clean(problem)}`)}\n`))];
    };
    const outcome = await runGameDay(loaded, {
      openLockedListeners,
      heal: args.heal === 'on',
      ...(args.healDelayMs !== undefined ? { healDelayMs: args.healDelayMs } : {}),
      gate: args.gate,
      reportsDir: args.reports,
      ...(args.targetDir ? { targetDir: args.targetDir } : {}),
      ledger,
      signal: controller.signal,
      ignoreWindow: args.ignoreWindow,
      listeners,
      onSession: (session) => {
        if (dashboard) {
          dashboard.controls = {
            halt: (by, reason) => session.halt(by, reason),
            continue: (by) => {
              if (!session.onContinue) return false;
              session.onContinue(by);
              return true;
            },
            note: (text, author) => session.note(text, author),
          };
          session.live?.update({ dashboard: dashboard.origin });
        }
      },
    });
    printer?.stop();
    // Earlier runs of the same scenarios from the history: the run report's trend and resilience score.
    const earlier = history ? await history.readEarlierSummaries(outcome.summary) : [];
    const written = await writeReports(outcome.summary, outcome.runDir, { history: earlier, notes: history?.notes ?? [] });
    const journal = await readJournal(resolve(outcome.runDir, 'journal.jsonl'));
    const { buildGameDayHistory } = await import('../history/gameday-history.js');
    const gameDayHistory = history ? buildGameDayHistory(outcome.summary, earlier, history.listGameDays(loaded.file)) : undefined;
    const report = buildGameDayReport({ id: loaded.id, file: relative(process.cwd(), loaded.file) || loaded.file, plan: loaded.plan, summary: outcome.summary, journal, ...(gameDayHistory ? { history: gameDayHistory } : {}) });
    const files = writeGameDayReport(report, outcome.runDir);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ ...report, report: { dir: resolve(outcome.runDir), gameday: resolve(files.html), html: resolve(written.html), summary: resolve(written.summaryJson) } }, null, 2)}\n`);
    } else {
      if (outcome.skipped) process.stdout.write(`${paint.yellow(`skipped: ${clean(outcome.skipped)}`)} (--ignore-window runs it anyway)\n`);
      printSummaryTable(outcome.summary, process.stdout);
      for (const hypothesis of report.hypotheses) {
        const tone = hypothesis.verdict === 'held' ? paint.green : hypothesis.verdict === 'refuted' ? paint.red : paint.yellow;
        process.stdout.write(`${tone(hypothesis.verdict.padEnd(8))} ${clean(hypothesis.statement)} ${paint.dim(`(${clean(hypothesis.because)})`)}\n`);
      }
      process.stdout.write(`\nGame-day report: ${resolve(files.html)}\n                 ${pathToFileURL(resolve(files.html)).href}\nRun report:      ${resolve(written.html)}\n`);
    }
    return outcome.exitCode;
  } finally {
    printer?.stop();
    history?.close();
    await dashboard?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

// The history store the game day is indexed in (a listener on its events, as for `faultline run`).
async function openGameDayHistory(args: GameDayRunArgs) {
  const { openRunHistory } = await import('../history/run-history.js');
  const { getDefaultHistoryPath } = await import('../history/open-history.js');
  return openRunHistory(args.history ?? getDefaultHistoryPath(args.reports), resolve(args.reports));
}

// The game day's own lines (steps, manual instructions, notes, stop conditions) beside the run's.
function createStepPrinter(say: (line: string) => void) {
  return (event: RunEvent) => {
    if (event.type === 'step.start') {
      say(`\n${paint.bold(`■ step ${event.index + 1}: ${clean(event.name)}`)} ${paint.dim(event.kind)}`);
      if (event.kind === 'manual') say(paint.yellow(`  ${clean(event.instruction ?? '')}\n  waiting for \`faultline gameday continue\` (or Continue on the dashboard), at most ${Math.round((event.timeoutMs ?? 0) / 1000)} s`));
    } else if (event.type === 'step.end' && event.kind === 'manual') say(`  ${clean(event.outcome)}${event.by ? ` by ${clean(event.by)}` : ''}`);
    else if (event.type === 'note' && event.author === undefined) say(paint.dim(`  note: ${clean(event.message)}`));
    else if (event.type === 'stop-condition' && !event.ok) say(paint.red(`  stop condition ${clean(event.probe)} FAILS${event.detail ? `: ${clean(event.detail)}` : ''}`));
    else if (event.type === 'gameday.skipped') say(paint.yellow(`  skipped: ${clean(event.reason)}`));
  };
}
