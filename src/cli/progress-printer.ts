// Human-readable progress and the closing table of a run.
import type { Summary } from '../analyse/summary-schema.js';
import type { ProgressListener } from '../run/progress.js';
import { formatDuration } from '../report/format.js';
import { paint } from './paint.js';
import { sanitizeForTerminal as clean } from '../util/terminal-text.js';

const verdictPaint = (verdict: string) => (verdict === 'pass' ? paint.green(verdict) : verdict === 'fail' ? paint.red(verdict) : paint.yellow(verdict));

/** Returns a listener that prints one line per step to `out`. */
export function createProgressPrinter(out: NodeJS.WritableStream): ProgressListener {
  const write = (line: string) => out.write(`${line}\n`);
  return (event) => {
    switch (event.type) {
      case 'run.start':
        write(paint.bold(`faultline run ${event.runId}: ${event.scenarios} scenario(s)`));
        break;
      case 'scenario.start':
        write(`\n▶ [${event.position}/${event.total}] ${paint.bold(clean(event.scenario.id))} ${paint.dim(clean(`${event.scenario.fmea?.id ?? ''} ${event.scenario.fault.type}`.trim()))} — ${clean(event.scenario.title)}`);
        break;
      case 'target.up':
        write(paint.dim(`  target ${clean(event.description)} up in ${formatDuration(event.ms)}`));
        break;
      case 'target.reset':
        write(paint.dim(`  restarting the reference target: ${clean(event.reason)}`));
        break;
      case 'run.result': {
        const r = event.result;
        const head = `  run ${r.index}/${event.scenario.runs}`;
        if (r.status !== 'completed') {
          write(`${head}  ${paint.yellow(r.status)}  ${clean(r.reason ?? '')}`);
          break;
        }
        const state = r.recovered ? paint.green('recovered') : paint.red('NOT recovered');
        const rollback = r.rollback ? (r.rollback.ok ? 'rollback ok' : paint.red(`rollback FAILED: ${clean(r.rollback.detail)}`)) : '';
        write(`${head}  ${state}  TTD ${formatDuration(r.ttdMs)}  RTO ${formatDuration(r.rtoMs)}  ±${formatDuration(r.resolutionMs)}  ${rollback}`);
        break;
      }
      case 'scenario.end':
        write(`  ${verdictPaint(event.summary.verdict)}  ${clean(event.summary.checks.map((c) => `${c.name}: ${c.measured} (${c.expected})`).join('; '))}`);
        break;
      case 'interrupted':
        write(paint.yellow(`${event.signal}: rolling back`));
        break;
    }
  };
}

/** Prints the per-scenario table: recovered?, TTD, RTO, verdict. */
export function printSummaryTable(summary: Summary, out: NodeJS.WritableStream): void {
  const rows = summary.scenarios.map((s) => [
    clean(s.id),
    clean(s.fmea?.id ?? ''),
    `${s.stats.recovered}/${s.runs.length}`,
    formatDuration(s.stats.ttdMs?.p95),
    formatDuration(s.stats.rtoMs?.p95),
    `±${formatDuration(s.resolutionMs)}`,
    s.verdict,
  ]);
  const header = ['scenario', 'fmea', 'recovered', 'TTD p95', 'RTO p95', 'resolution', 'verdict'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  out.write(`\n${paint.bold(line(header))}\n`);
  for (const row of rows) out.write(`${line(row).replace(/(pass|fail|aborted|error)$/, verdictPaint)}\n`);
  out.write(`\nVerdict: ${verdictPaint(summary.verdict)} (exit ${summary.exitCode}${summary.options.gate ? ', gate on' : ''}) · healer ${summary.options.heal ? 'on' : 'off'} · ${formatDuration(summary.durationMs)}\n`);
}
