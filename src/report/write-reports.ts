// Writes a run's outputs next to its journal and points reports/latest at it.
import { lstat, readlink, rename, symlink, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { writeFileAtomic } from '../util/files.js';
import { renderHtmlReport } from './html.js';

/** Paths of the files written. */
export interface WrittenReports {
  summaryJson: string;
  html: string;
}

/** Writes summary.json and index.html into runDir and updates the `latest` link beside it. */
export async function writeReports(summary: Summary, runDir: string): Promise<WrittenReports> {
  const summaryJson = join(runDir, 'summary.json');
  writeFileAtomic(summaryJson, `${JSON.stringify(summary, null, 2)}\n`);
  const html = join(runDir, 'index.html');
  writeFileAtomic(html, await renderHtmlReport(summary));
  await pointLatestAt(runDir);
  return { summaryJson, html };
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
