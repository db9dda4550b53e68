// What a failed start leaves for diagnosis: the end of the helpers' output, what the uid runs, and a
// copy of the logs outside the instance dir (which stop removes for a temp instance).
import { closeSync, existsSync, lstatSync, mkdtempSync, fstatSync, openSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import type { ReferencePaths } from './paths.js';
import { readRange } from '../../util/files.js';
import { listUidProcesses } from '../../util/proc-usage.js';
import type { RunAs } from './run-as.js';

const TAIL_BYTES = 64 * 1024;
/** Copies of failed starts kept in the temp dir: the newest ones; older ones go when a new one is written. */
export const KEPT_FAILED_STARTS = 5;
const COPY_PREFIX = 'faultline-failed-start-';

/**
 * Copies the logs of a failed start to `<tmp>/faultline-failed-start-<time>-…/` (keeping only the
 * newest KEPT_FAILED_STARTS such copies of this user) and returns a text
 * to append to the error: the last lines of scheduler.out and healer.out, the uid's process count
 * (live and zombie: a uid still holding an earlier instance's processes shares its budget) and the copy's path.
 */
export function keepStartEvidence(paths: ReferencePaths, runAs: RunAs | undefined, message: string): string {
  const parts: string[] = [];
  for (const name of ['scheduler.out', 'healer.out']) parts.push(`${name}: ${describeTail(join(paths.logsDir, name))}`);
  if (runAs?.dedicated) {
    const all = listUidProcesses(runAs.uid, { includeZombies: true });
    const zombies = all.length - listUidProcesses(runAs.uid).length;
    parts.push(`uid ${runAs.uid} had ${all.length} process(es) (${zombies} zombie, ${all.reduce((sum, entry) => sum + entry.threads, 0)} threads)`);
  }
  const copy = copyLogs(paths, `${message}\n${parts.join('\n')}\n`);
  if (copy) parts.push(`logs kept in ${copy}`);
  return `\n  ${parts.join('\n  ')}`;
}

function describeTail(path: string): string {
  if (!existsSync(path)) return '(missing)';
  const lines = readTail(path, 2048).trim().split('\n').slice(-5);
  return lines.join('') === '' ? '(empty)' : lines.join(' | ');
}

// logs/* (the end of each), target.json and the healer's events: enough to tell what each helper saw.
function copyLogs(paths: ReferencePaths, summary: string): string | undefined {
  if (!existsSync(paths.logsDir)) return undefined;
  try {
    const stamp = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*$/, '');
    const copy = mkdtempSync(join(tmpdir(), `${COPY_PREFIX}${stamp}-`));
    writeFileSync(join(copy, 'failure.txt'), `instance: ${paths.dir}\n${summary}`);
    const files = [paths.state, paths.events, ...readdirSync(paths.logsDir).map((name) => join(paths.logsDir, name))];
    for (const file of files) {
      if (existsSync(file) && lstatSync(file).isFile()) writeFileSync(join(copy, basename(file)), readTail(file, TAIL_BYTES));
    }
    try {
      pruneFailedStartCopies(tmpdir(), copy);
    } catch {
      // An old copy that cannot go must not hide the new one from the error.
    }
    return copy;
  } catch {
    return undefined;
  }
}

/** Removes all but the newest `keep` failed-start copies in `dir` (only directories of this user; `current` always stays). */
export function pruneFailedStartCopies(dir: string, current?: string, keep = KEPT_FAILED_STARTS): void {
  const self = process.getuid?.() ?? 0;
  const copies: Array<{ path: string; mtimeMs: number }> = [];
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(COPY_PREFIX)) continue;
    const path = join(dir, name);
    try {
      const stat = lstatSync(path);
      if (stat.isDirectory() && stat.uid === self) copies.push({ path, mtimeMs: stat.mtimeMs });
    } catch {
      // Removed meanwhile.
    }
  }
  // Newest first; the names start with a timestamp, which breaks ties within one mtime tick.
  copies.sort((a, b) => b.mtimeMs - a.mtimeMs || b.path.localeCompare(a.path));
  const stale = copies.filter((copy) => copy.path !== current).slice(Math.max(0, keep - (current === undefined ? 0 : 1)));
  for (const copy of stale) rmSync(copy.path, { recursive: true, force: true });
}

// The last `bytes` of the file that was opened (fstat, not a second lookup by path).
function readTail(path: string, bytes: number): string {
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const size = fstatSync(fd).size;
    const length = Math.min(size, bytes);
    return readRange(fd, size - length, length).toString('utf8');
  } catch {
    return '';
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
