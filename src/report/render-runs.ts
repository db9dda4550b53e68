// `faultline report`: re-renders a report from run directories; the newest run is reported, all of them trend.
import { existsSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { loadFmeaConfig } from '../fmea/commands/load-config.js';
import { gatherReportInput } from './gather-input.js';
import { readRunDir } from './read-run-dir.js';
import { writeReportFiles, type WrittenReports } from './write-reports.js';
import { printable } from '../util/terminal-text.js';

/** Options of `faultline report`. */
export interface RenderRunsOptions {
  runDirs: readonly string[];
  /** Output folder; default: the newest run's own folder. */
  out?: string;
  worksheets?: readonly string[];
  /** Claims files (default: claims.yaml beside the scenarios). */
  claims?: readonly string[];
  fmeaConfig?: string;
  stepSummary?: string | null;
  now?: Date;
  /** Sign-off names; each one given replaces the one the run recorded. */
  signOff?: { preparedBy?: string; reviewer?: string };
  /** Also print the report to this PDF ('' = report.pdf beside index.html). */
  pdf?: string;
}

/** Reads every run, renders the newest one's report with the others as history, and writes it to `out`. */
export async function renderRuns(options: RenderRunsOptions): Promise<{ written: WrittenReports; runs: number; notes: string[]; newestDir: string }> {
  const runs = [];
  for (const dir of options.runDirs) runs.push(await readRunDir(resolve(dir)));
  runs.sort((a, b) => a.summary.startedAt.localeCompare(b.summary.startedAt));
  const newest = runs.at(-1)!;
  const notes = runs.flatMap((run) => run.notes);
  const input = gatherReportInput(newest.summary, {
    journal: newest.journal,
    history: runs.map((run) => run.summary),
    ...(options.worksheets?.length ? { worksheets: options.worksheets } : {}),
    ...(options.claims?.length ? { claims: options.claims } : {}),
    fmeaConfig: loadFmeaConfig(options.fmeaConfig),
    notes,
    ...(options.signOff ? { signOff: options.signOff } : {}),
    ...(options.now ? { now: options.now } : {}),
  });
  const written = await writeReportFiles(input, resolve(options.out ?? newest.dir), options.stepSummary === undefined ? {} : { stepSummary: options.stepSummary });
  return { written, runs: runs.length, notes: [...input.notes], newestDir: newest.dir };
}

/** The command: prints what it wrote; returns the exit code (0; unreadable input throws an InputError, exit 2). */
export async function runReportCommand(options: RenderRunsOptions & { write?: (text: string) => void }): Promise<number> {
  const write = options.write ?? ((text: string) => process.stdout.write(printable(text, process.stdout)));
  const { written, runs, notes, newestDir } = await renderRuns(options);
  const show = (path: string) => relative(process.cwd(), path) || path;
  for (const note of notes) write(`note: ${note}\n`);
  if (options.pdf !== undefined) {
    const { printReportPdf } = await import('./print-pdf.js');
    const pdf = resolve(options.pdf === '' ? join(dirname(written.html), 'report.pdf') : options.pdf);
    // A game day's folder holds its own report (plan, roles, hypotheses, timeline): that is the one reviewers file.
    const gameDay = join(newestDir, 'gameday.html');
    const bytes = await printReportPdf(existsSync(gameDay) ? gameDay : written.html, pdf);
    write(`PDF: ${show(pdf)} (${Math.round(bytes / 1024)} KiB)\n`);
  }
  write(`Report of ${runs === 1 ? '1 run' : `${runs} runs (newest reported, all in the trend)`}: ${show(written.html)}\n`);
  write(`Also: ${show(written.junit)}, ${show(written.markdown)}, ${show(written.summaryJson)}\n`);
  return 0;
}
