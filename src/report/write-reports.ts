// Writes a run's outputs (summary.json, index.html, junit.xml, summary.md) and points reports/latest at it.
import { existsSync } from 'node:fs';
import { appendFile, lstat, readlink, rename, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { readJournal } from '../journal/reader.js';
import { writeFileAtomic } from '../util/files.js';
import { gatherReportInput, type GatherOptions } from './gather-input.js';
import { renderHtmlReport } from './html.js';
import { renderJunit } from './junit.js';
import { renderMarkdown } from './markdown.js';
import type { ReportInput } from './report-input.js';

/** Paths of the files written. */
export interface WrittenReports {
  summaryJson: string;
  html: string;
  junit: string;
  markdown: string;
  /** The file summary.md was appended to ($GITHUB_STEP_SUMMARY), if any. */
  stepSummary?: string;
}

/** Where summary.md is also appended: a path, or null for nowhere; default $GITHUB_STEP_SUMMARY. */
export interface OutputOptions {
  stepSummary?: string | null;
}

/** Writes summary.json, index.html, junit.xml and summary.md into runDir and updates the `latest` link beside it. */
export async function writeReports(summary: Summary, runDir: string, options: GatherOptions & OutputOptions = {}): Promise<WrittenReports> {
  const journalFile = join(runDir, 'journal.jsonl');
  const journal = options.journal ?? (existsSync(journalFile) ? await readJournal(journalFile) : []);
  const written = await writeReportFiles(gatherReportInput(summary, { ...options, journal }), runDir, options);
  await pointLatestAt(runDir);
  return written;
}

/** Writes every output of one report input into outDir, all from the same summary. */
export async function writeReportFiles(input: ReportInput, outDir: string, options: OutputOptions = {}): Promise<WrittenReports> {
  const paths = {
    summaryJson: join(outDir, 'summary.json'),
    html: join(outDir, 'index.html'),
    junit: join(outDir, 'junit.xml'),
    markdown: join(outDir, 'summary.md'),
  };
  // summary.json first: the contract external tools read must not wait on chart rendering.
  writeFileAtomic(paths.summaryJson, `${JSON.stringify(input.summary, null, 2)}\n`);
  const markdown = renderMarkdown(input.summary, input.history);
  writeFileAtomic(paths.junit, renderJunit(input.summary, input.journal));
  writeFileAtomic(paths.markdown, markdown);
  writeFileAtomic(paths.html, await renderHtmlReport(input));
  const stepSummary = options.stepSummary === undefined ? process.env.GITHUB_STEP_SUMMARY : options.stepSummary;
  if (stepSummary) await appendFile(stepSummary, `${markdown}\n`);
  return { ...paths, ...(stepSummary ? { stepSummary } : {}) };
}

/** Atomically re-points <reports>/latest at runDir (a relative symlink, replaced by rename). */
export async function pointLatestAt(runDir: string): Promise<void> {
  const link = join(dirname(runDir), 'latest');
  const existing = await lstat(link).catch(() => undefined);
  if (existing && !existing.isSymbolicLink()) return; // never replace a real file or folder the user put there
  if (existing && (await readlink(link)) === basename(runDir)) return;
  const temp = `${link}.${process.pid}.tmp`;
  await unlink(temp).catch(() => {});
  await symlink(basename(runDir), temp);
  await rename(temp, link);
}
