// stopWebstack: the supervisor first (it stops the API, the scheduler, Redis, then PostgreSQL), then any
// recorded pid still the stack's, then whatever runs as the stack's uid, then the tmpfs, then the dir.
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { TargetError } from '../../errors.js';
import { writeFileReplacing } from '../../util/safe-fs.js';
import { getMountsUnder, isMounted, unmountDataArea } from '../reference/mount.js';
import { sweepInstanceUids } from '../reference/sweep-uids.js';
import { findUidLocks } from '../reference/uid-lock.js';
import type { TargetStopReport } from '../types.js';
import { getPidFile, getWebstackPaths } from './paths.js';
import { readPidFile } from '../../util/pid.js';
import { isStackProcess, readStackPids, terminateStackProcess } from './stack-processes.js';
import { readWebstackRecord, removeWebstackRecord } from './root-record.js';
import { readWebstackState } from './state.js';

/** Everything start creates in a directory (a kept dir loses these, and only these). */
export const OWN_ENTRIES = ['webstack.json', 'pg', 'pg-socket', 'redis', 'api', 'supervisor', 'run', 'logs', 'uploads', 'tmp'];
const DIR_PREFIX = 'faultline-web-';

/** How to stop. */
export interface WebstackStopOptions {
  /** Keep the directory (a reset restarts in it); its entries still go. */
  keepDir?: boolean;
  /** The ledger says faultline chose the dir: remove it. Without, webstack.json's ownsDir counts only for a dir under the temp dir named like ours. */
  ownsDir?: boolean;
}

/**
 * Stops the stack in `dir`: idempotent, safe on a half-started or crashed one. Only processes that run as
 * the uid a root-owned lock gives the dir and whose command line names the dir are signalled by pid;
 * then everything of that uid is swept. `complete: false` keeps the dir, its mount and the uid lock.
 */
export async function stopWebstack(dir: string, options: WebstackStopOptions = {}): Promise<TargetStopReport> {
  const root = getRealPath(resolve(dir));
  const report: TargetStopReport = { complete: true, left: [], notes: [] };
  const paths = getWebstackPaths(root);
  // faultline's record when it has one; the in-dir copy (the stack's uid's to rewrite) only says whether this is a stack's dir.
  const state = readWebstackRecord(root) ?? readWebstackState(paths.state);
  // Only a web stack's dir is touched: never unmount or remove entries in a dir that is not one (`down --dir /`).
  if (existsSync(root) && !existsSync(paths.state) && options.ownsDir !== true && !isTempStackDir(root)) {
    report.notes.push(`${root} holds no web stack (no webstack.json): nothing stopped, unmounted or removed`);
    return report;
  }
  const uid = findStackUid(root);
  if (existsSync(root) && uid !== undefined) {
    try {
      writeFileReplacing(paths.stopFile, `${process.pid}\n`);
    } catch {
      // No run/ (a start killed early), or a link there: the signals below still stop everything.
    }
    const supervisor = readPidFile(getPidFile(paths, 'supervisor'));
    if (supervisor !== undefined) await terminateStackProcess(supervisor, root, uid, 15_000);
    for (const { name, pid } of readStackPids(paths.runDir)) await terminateStackProcess(pid, root, uid, name === 'postgres' ? 5000 : 2000, name === 'postgres' ? 'SIGINT' : 'SIGTERM');
  } else if (existsSync(root)) {
    report.notes.push(`no uid is locked to ${root}: recorded pids were not signalled (nothing of the stack can have started without one)`);
  }
  const sweep = await sweepInstanceUids([root, resolve(dir)], state?.runAs);
  report.notes.push(...sweep.notes);
  report.left.push(...sweep.left);
  if (uid !== undefined) {
    for (const { name, pid } of readStackPids(paths.runDir)) if (isStackProcess(pid, root, uid)) report.left.push(`${name} (pid ${pid})`);
  }
  if (report.left.length > 0) {
    report.complete = false;
    return report;
  }
  for (const mountPoint of getMountsUnder(root)) await unmountDataArea(mountPoint);
  const mounted = getMountsUnder(root);
  if (mounted.length > 0) {
    report.complete = false;
    report.left.push(`mounts under ${root}: ${mounted.join(', ')}`);
    return report;
  }
  // Nothing runs and nothing is mounted: faultline's record of the stack goes with it.
  removeWebstackRecord(root);
  if (!existsSync(root)) return report;
  const owns = options.ownsDir ?? (state?.ownsDir === true && isTempStackDir(root));
  // Nothing of the stack runs any more: nothing can swap entries under rm.
  if (owns && !options.keepDir) rmSync(root, { recursive: true, force: true });
  else for (const entry of OWN_ENTRIES) rmSync(join(root, entry), { recursive: true, force: true });
  if (isMounted(paths.pgArea)) throw new TargetError(`${paths.pgArea} is mounted again`, { hint: 'unmount it by hand' });
  return report;
}

/** The stack's uid: the one a root-owned lock gives the dir (as root), else our own. */
export function findStackUid(dir: string): number | undefined {
  if (process.getuid?.() !== 0) return process.getuid?.();
  return findUidLocks([dir])[0]?.uid;
}

function isTempStackDir(root: string): boolean {
  return basename(root).startsWith(DIR_PREFIX) && dirname(root) === getRealPath(tmpdir());
}

function getRealPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
