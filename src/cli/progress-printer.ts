// Human-readable progress and the closing table of a run.
import type { Summary } from '../analyse/summary-schema.js';
import { SummaryFold } from '../events/fold-summary.js';
import type { RunEvent, RunEventData } from '../events/types.js';
import type { ProgressListener } from '../run/progress.js';
import { formatDuration } from '../report/format.js';
import { formatVerdictBanner } from '../analyse/verdict-counts.js';
import { LiveStatus, type StatusStream } from './live-status.js';
import { paint } from './paint.js';
import { formatGateLines, formatRto, formatTtd, formatWindow } from './terminal-figures.js';
import { sanitizeForTerminal as clean } from '../util/terminal-text.js';

// Only a clean pass is green; a known gap is an accepted risk (yellow), never a pass.
const verdictPaint = (verdict: string) => (verdict === 'pass' ? paint.green(verdict) : verdict === 'fail' || verdict === 'error' ? paint.red(verdict) : paint.yellow(verdict));

/** How the printer shows progress between its lines. */
export interface ProgressPrinterOptions {
  /** Draw a live status line (phase, countdown, ETA): only on a terminal. */
  live?: boolean;
  /** Runs in the whole run (for the ETA). */
  totalRuns?: number;
}

/** A listener that prints one line per step to `out`, and `stop` to erase the live line. */
export interface ProgressPrinter extends ProgressListener {
  stop(): void;
}

/** Returns a listener that prints one line per step to `out`. */
export function createProgressPrinter(out: NodeJS.WritableStream & StatusStream, options: ProgressPrinterOptions = {}): ProgressPrinter {
  const status = options.live ? new LiveStatus(out, options.totalRuns ?? 0) : undefined;
  const write = (line: string) => {
    status?.clear();
    out.write(`${line}\n`);
  };
  // The printer folds the events it is told, as the run does, for each scenario's verdict lines.
  const fold = new SummaryFold();
  const starts = new Map<string, RunEventData['scenario.start']>();
  const runsOf = (id: string) => starts.get(id)?.runs ?? 1;
  const listener = (event: RunEvent) => {
    fold.onEvent(event);
    switch (event.type) {
      case 'run.phase':
        status?.setPhase(`${event.scenario} run ${event.run}/${runsOf(event.scenario)}`, event.phase, event.limitMs);
        break;
      case 'run.start':
        if (event.totalRuns !== undefined) status?.setTotalRuns(event.totalRuns);
        write(paint.bold(`faultline run ${event.runId}: ${event.scenarios.length} scenario(s)`));
        break;
      case 'scenario.start':
        starts.set(event.scenario, event);
        write(`\n▶ [${event.position}/${event.total}] ${paint.bold(clean(event.scenario))} ${paint.dim(clean(`${event.head.fmea?.id ?? ''} ${event.fault.type}`.trim()))} — ${clean(event.title)}`);
        break;
      case 'target.up':
        // "up in" only for a target faultline started; another one was only opened (its setup hook, if any, is in the journal).
        write(paint.dim(event.managed === false ? `  target ${clean(event.label)} (not started by faultline; opened in ${formatDuration(event.ms)})` : `  target ${clean(event.label)} up in ${formatDuration(event.ms)}`));
        break;
      case 'target.reset':
        write(paint.dim(`  resetting the target: ${clean(event.reason)}`));
        break;
      case 'run.result': {
        status?.countRun();
        const r = event;
        const head = `  run ${r.index}/${runsOf(event.scenario)}`;
        if (r.status === 'skipped') {
          write(`${head}  ${paint.yellow('skipped')}  ${clean(r.reason ?? '')}`);
          break;
        }
        if (r.status !== 'completed') {
          write(`${head}  ${paint.yellow(clean(String(r.status)))}  ${clean(r.reason ?? '')}`);
          break;
        }
        const state = r.recovered ? paint.green('recovered') : paint.red('NOT recovered');
        const rollback = r.rollback ? (r.rollback.ok ? 'rollback ok' : paint.red(`rollback FAILED: ${clean(r.rollback.detail)}`)) : '';
        write(`${head}  ${state}  TTD ${formatTtd(r.ttdMs)}  RTO ${formatRto(r.rtoMs)}  ±${formatWindow(r.resolutionMs)}  ${rollback}`.trimEnd());
        break;
      }
      case 'scenario.end': {
        const summary = fold.getScenario(event.scenario);
        if (!summary) break;
        // The verdict, then one short line per expectation; no expectations, no empty line after the verdict.
        const [first, ...rest] = formatGateLines(summary).map(({ met, text }) => `${met === undefined ? paint.yellow('·') : met ? paint.green('✓') : paint.red('✗')} ${clean(text)}`);
        write(`  ${verdictPaint(summary.verdict)}${first ? `  ${first}` : ''}`);
        const indent = ' '.repeat(4 + summary.verdict.length);
        for (const line of rest) write(`${indent}${line}`);
        for (const reason of summary.reasons ?? []) write(`${indent}${paint.dim('·')} ${clean(reason)}`);
        break;
      }
      // 'interrupted': the CLI that caught the signal has said so already.
      case 'halt':
        write(paint.yellow(`halted by ${clean(event.by)}: ${clean(event.reason)} — rolling back`));
        break;
      case 'note':
        if (event.author !== undefined) write(paint.dim(`  note from ${clean(event.author)}: ${clean(event.message)}`));
        break;
    }
  };
  return Object.assign(listener, { stop: () => status?.stop() });
}

/** Prints the per-scenario table: recovered?, TTD, RTO, verdict. */
export function printSummaryTable(summary: Summary, out: NodeJS.WritableStream): void {
  const rows = summary.scenarios.map((s) => [
    clean(s.id),
    clean(s.fmea?.id ?? ''),
    `${s.stats.recovered}/${s.runs.length}`,
    formatTtd(s.stats.ttdMs?.p95),
    formatRto(s.stats.rtoMs?.p95),
    `±${formatWindow(s.resolutionMs)}`,
    s.verdict,
  ]);
  const header = ['scenario', 'fmea', 'recovered', 'TTD p95', 'RTO p95', 'resolution', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  out.write(`\n${paint.bold(line(header))}\n`);
  for (const row of rows) out.write(`${line(row).replace(/(pass|fail|known-gap|skipped|aborted|error)$/, verdictPaint)}\n`);
  const explained = summary.scenarios.filter((scenario) => (scenario.reasons ?? []).length > 0);
  if (explained.length > 0) out.write('\n');
  for (const scenario of explained) {
    out.write(`${paint.bold(clean(scenario.id))} ${verdictPaint(scenario.verdict)}\n`);
    // Reasons quote runs' reasons and rollback details, a fleet host's among them (its agent's words).
    for (const reason of scenario.reasons) out.write(`  · ${clean(reason)}\n`);
  }
  const banner = formatVerdictBanner(summary);
  const tone = summary.verdict === 'pass' && (summary.counts?.knownGaps ?? 0) > 0 ? paint.yellow : summary.verdict === 'pass' ? paint.green : summary.verdict === 'fail' ? paint.red : paint.yellow;
  out.write(`\n${tone(banner)} (exit ${summary.exitCode}${summary.options.gate ? ', gate on' : ''}) ${healsAny(summary) ? `· healer ${summary.options.heal ? 'on' : 'off'} ` : ''}· ${formatDuration(summary.durationMs)}\n`);
}

// The healer is the reference orchestrator's: only a run with such a target has one to report (its description carries `heal`).
function healsAny(summary: Summary): boolean {
  return summary.targets.some((target) => target !== null && typeof target === 'object' && 'heal' in target);
}
