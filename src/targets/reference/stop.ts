// stopReference: healer first (so it repairs nothing), then scheduler, tmux, every recorded pid, the uid, the mount, the dir.
import { existsSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, resolve } from 'node:path';
import { TargetError } from '../../errors.js';
import { runSocketTmux } from './exec.js';
import { getMountsUnder, isMounted, unmountDataArea } from './mount.js';
import { getReferencePaths } from './paths.js';
import { isInstanceProcess, readPidFile, readRecordedPids, terminateInstanceProcess } from './processes.js';
import { readReferenceState } from './state.js';
import { buildClientEnv } from './environment.js';
import { isSocket } from './status.js';
import { sweepInstanceUids } from './sweep-uids.js';
import { appendToFile, inspectEntry, makeDirectory, withDirectory, writeFileReplacing } from '../../util/safe-fs.js';
import type { TargetStopReport } from '../types.js';

/**
 * What stop has to tell besides having stopped: `complete` is false when something of the instance
 * still runs (then its directory, mount and uid lock are kept, so `faultline recover` or a second stop
 * can finish the job); `notes` also name uids it refused to sweep.
 */
export type StopReport = TargetStopReport;

/** How to stop. */
export interface StopOptions {
  /** Keep the directory even when faultline created it (a reset restarts in it). */
  keepDir?: boolean;
  /**
   * The caller's own record (the ledger) says faultline created the directory: remove it even when
   * target.json is missing or unreadable (a start killed half-way). Without it, target.json decides.
   */
  ownsDir?: boolean;
}

/**
 * Stops the instance in `dir`: idempotent, and safe on a half-started or crashed instance. Only
 * processes recorded in `<dir>/run/*.pid` whose command line points into `dir`, and processes of the
 * uid a root-owned lock assigns to `dir`, are signalled. The directory is removed when faultline
 * created it (unless `keepDir`) and nothing is left running; a directory you passed is kept.
 */
export async function stopReference(dir: string, options: StopOptions = {}): Promise<StopReport> {
  const root = resolve(dir);
  const report: StopReport = { complete: true, left: [], notes: [] };
  const paths = getReferencePaths(root);
  // Root writes into the instance's dir, which its uid owns, only through util/safe-fs (no link followed).
  const realPaths = getReferencePaths(getRealPath(root));
  const state = existsSync(root) ? readReferenceState(paths.state) : undefined;
  if (existsSync(root)) {
    try {
      withDirectory(realPaths.dir, undefined, (dirFd) => {
        if (inspectEntry(dirFd, 'run').kind === 'missing') makeDirectory(dirFd, 'run');
      });
      writeFileReplacing(realPaths.stopFile, `${process.pid}\n`);
    } catch {
      // A read-only or half-removed dir, or a link planted there: signals below still stop the processes.
    }

    for (const pidFile of [paths.healerPid, paths.schedulerPid]) {
      const pid = readPidFile(pidFile);
      if (pid !== undefined) await terminateInstanceProcess(pid, root);
    }
    await killTmuxServer(paths.socket);
    await Promise.all(readRecordedPids(paths.runDir).map(({ pid }) => terminateInstanceProcess(pid, root, 1000)));
  }
  // Whatever still runs as the instance's dedicated uid is its own (orphans, shell jobs, helpers of a start
  // killed half-way): it must not outlive it. Which uid that is comes from the root-owned lock, not target.json.
  const sweep = await sweepInstanceUids([root, getRealPath(root)], state?.runAs);
  report.notes.push(...sweep.notes);
  report.left.push(...sweep.left, ...(await findRecordedSurvivors(paths.runDir, root)));
  report.complete = report.left.length === 0;
  if (!report.complete) {
    report.notes.push(`still running after stop: ${report.left.join('; ')}; ${root} is kept as it is: run \`faultline recover\` (a run's target) or stop it again once they are gone`);
    appendToLog(realPaths.orchestratorLog, report.notes);
    return report;
  }
  if (!existsSync(root)) return report;
  rmSync(paths.socket, { force: true });

  if (isMounted(paths.dataDir) && !(await unmountDataArea(paths.dataDir))) {
    throw new TargetError(`could not unmount the data area at ${paths.dataDir}`, { hint: `unmount it by hand: umount -l ${paths.dataDir}` });
  }
  // target.json's word counts only for a dir where faultline makes its own (mkdtemp under the temp dir).
  const owned = options.ownsDir ?? (state?.ownsDir === true && state.dir === root && isTempInstanceDir(root));
  if (owned && !options.keepDir) {
    await removeOwnedDir(root);
    return report;
  }
  appendToLog(realPaths.orchestratorLog, report.notes, 'orchestrator stopped');
  return report;
}

// A recorded process that outlived SIGKILL and the uid sweep (no dedicated uid to sweep, or one in uninterruptible I/O).
async function findRecordedSurvivors(runDir: string, root: string): Promise<string[]> {
  const survivors: string[] = [];
  for (const { file, pid } of readRecordedPids(runDir)) {
    if (await isInstanceProcess(pid, root)) survivors.push(`${file.replace(/\.pid$/, '')} (pid ${pid})`);
  }
  return survivors;
}

/**
 * The tmux client that stops the server runs with faultline's own env: never target.json's, which the
 * instance's uid can rewrite (PATH, LD_PRELOAD), nor the instance's bin/ first on PATH, which it owns.
 * (runSocketTmux runs it as the socket directory's owner; a socket swapped for a link is not used.)
 */
async function killTmuxServer(socket: string): Promise<void> {
  if (!isSocket(socket)) return;
  await runSocketTmux(socket, ['kill-server'], { env: buildClientEnv(), timeoutMs: 3000 });
}

// <tmpdir>/faultline-ref-…: where faultline makes the instance dirs it owns (mkdtemp, chooseInstanceDir).
function isTempInstanceDir(root: string): boolean {
  return basename(root).startsWith('faultline-ref-') && dirname(root) === getRealPath(tmpdir());
}

// Appended as root to a log the instance's uid owns: through util/safe-fs, never through a link planted there.
function appendToLog(path: string, notes: readonly string[], last?: string): void {
  try {
    const lines = [...notes.map((note) => `${new Date().toISOString()} stop: ${note}\n`), ...(last === undefined ? [] : [`${new Date().toISOString()} ${last}\n`])];
    if (lines.length > 0) appendToFile(path, lines.join(''));
  } catch {
    // Nothing to log into, or a link there.
  }
}

// A mount still under the dir (one a killed start had in flight when stop looked) is unmounted first:
// rm -r must never descend into a mounted filesystem.
async function removeOwnedDir(root: string): Promise<void> {
  for (const mountPoint of getMountsUnder(root)) await unmountDataArea(mountPoint);
  const stillMounted = getMountsUnder(root);
  if (stillMounted.length > 0) {
    throw new TargetError(`not removing ${root}: something is still mounted under it (${stillMounted.join(', ')})`, { hint: 'unmount it and run `faultline target down` again' });
  }
  rmSync(root, { recursive: true, force: true });
}

function getRealPath(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}
