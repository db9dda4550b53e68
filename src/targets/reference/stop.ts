// stopReference: healer first (so it repairs nothing), then scheduler, tmux, every recorded pid, the uid, the mount, the dir.
import { existsSync, mkdirSync, readFileSync, realpathSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TargetError } from '../../errors.js';
import { runSocketTmux } from './exec.js';
import { isMounted, unmountDataArea } from './mount.js';
import { getReferencePaths } from './paths.js';
import { readPidFile, readRecordedPids, terminateInstanceProcess } from './processes.js';
import { readReferenceState } from './state.js';
import { buildTargetEnv } from './environment.js';
import { sweepInstanceUids } from './sweep-uids.js';

/** What stop has to tell besides having stopped: uids it refused to sweep, processes that survived. */
export interface StopReport {
  notes: string[];
}

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
 * created it (unless `keepDir`); a directory you passed is kept.
 */
export async function stopReference(dir: string, options: StopOptions = {}): Promise<StopReport> {
  const root = resolve(dir);
  const report: StopReport = { notes: [] };
  const paths = getReferencePaths(root);
  const state = existsSync(root) ? readReferenceState(paths.state) : undefined;
  if (existsSync(root)) {
    try {
      mkdirSync(paths.runDir, { recursive: true });
      writeFileSync(paths.stopFile, `${process.pid}\n`);
    } catch {
      // A read-only or half-removed dir: signals below still stop the processes.
    }

    for (const pidFile of [paths.healerPid, paths.schedulerPid]) {
      const pid = readPidFile(pidFile);
      if (pid !== undefined) await terminateInstanceProcess(pid, root);
    }
    if (existsSync(paths.socket)) {
      await runSocketTmux(paths.socket, ['kill-server'], { env: state?.env ?? buildTargetEnv(paths), timeoutMs: 3000 });
    }
    await Promise.all(readRecordedPids(paths.runDir).map(({ pid }) => terminateInstanceProcess(pid, root, 1000)));
  }
  // Whatever still runs as the instance's dedicated uid is its own (orphans, shell jobs, helpers of a start
  // killed half-way): it must not outlive it. Which uid that is comes from the root-owned lock, not target.json.
  report.notes.push(...(await sweepInstanceUids([root, getRealPath(root)], state?.runAs)));
  if (!existsSync(root)) return report;
  rmSync(paths.socket, { force: true });

  if (isMounted(paths.dataDir) && !(await unmountDataArea(paths.dataDir))) {
    throw new TargetError(`could not unmount the data area at ${paths.dataDir}`, { hint: `unmount it by hand: umount -l ${paths.dataDir}` });
  }
  const owned = options.ownsDir ?? (state?.ownsDir === true && state.dir === root);
  if (owned && !options.keepDir) {
    await removeOwnedDir(root);
    return report;
  }
  try {
    for (const note of report.notes) appendFileSync(paths.orchestratorLog, `${new Date().toISOString()} stop: ${note}\n`);
    appendFileSync(paths.orchestratorLog, `${new Date().toISOString()} orchestrator stopped\n`);
  } catch {
    // Nothing to log into.
  }
  return report;
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

function getMountsUnder(root: string): string[] {
  try {
    return readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((line) => line.split(' ')[4] ?? '')
      .filter((mountPoint) => mountPoint === root || mountPoint.startsWith(`${root}/`));
  } catch {
    return [];
  }
}
