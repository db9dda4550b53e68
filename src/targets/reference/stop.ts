// stopReference: healer first (so it repairs nothing), then scheduler, tmux, every recorded pid, the mount, the dir.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { TargetError } from '../../errors.js';
import { runSocketTmux } from './exec.js';
import { isMounted, unmountDataArea } from './mount.js';
import { getReferencePaths } from './paths.js';
import { readPidFile, readRecordedPids, terminateInstanceProcess } from './processes.js';
import { readReferenceState } from './state.js';
import { listUidProcesses } from './proc-usage.js';
import { buildTargetEnv } from './environment.js';

/**
 * Stops the instance in `dir`: idempotent, and safe on a half-started or crashed instance. Only
 * processes recorded in `<dir>/run/*.pid` whose command line points into `dir` are signalled.
 * The directory is removed when faultline created it (unless `keepDir`); a directory you passed is kept.
 */
export async function stopReference(dir: string, options: { keepDir?: boolean } = {}): Promise<void> {
  const root = resolve(dir);
  if (!existsSync(root)) return;
  const paths = getReferencePaths(root);
  const state = readReferenceState(paths.state);
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
  // Whatever still runs as the instance's dedicated uid is its own (orphans, shell jobs): it must not outlive it.
  if (state?.runAs?.dedicated) await killUidProcesses(state.runAs.uid);
  rmSync(paths.socket, { force: true });

  if (isMounted(paths.dataDir) && !(await unmountDataArea(paths.dataDir))) {
    throw new TargetError(`could not unmount the data area at ${paths.dataDir}`, { hint: `unmount it by hand: umount -l ${paths.dataDir}` });
  }
  if (state?.ownsDir && state.dir === root && !options.keepDir) {
    const stillMounted = getMountsUnder(root);
    if (stillMounted.length > 0) {
      throw new TargetError(`not removing ${root}: something is still mounted under it (${stillMounted.join(', ')})`, { hint: 'unmount it and run `faultline target down` again' });
    }
    rmSync(root, { recursive: true, force: true });
    return;
  }
  try {
    appendFileSync(paths.orchestratorLog, `${new Date().toISOString()} orchestrator stopped\n`);
  } catch {
    // Nothing to log into.
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

// SIGKILL every process of a dedicated uid until none is left (5 s at most: one in uninterruptible I/O
// dies only when that ends); never pid 1 or ourselves.
async function killUidProcesses(uid: number): Promise<void> {
  if (uid === 0 || uid === process.getuid?.()) return;
  const deadline = performance.now() + 5000;
  for (;;) {
    const left = listUidProcesses(uid).filter((entry) => entry.pid > 1 && entry.pid !== process.pid);
    if (left.length === 0 || performance.now() > deadline) return;
    for (const { pid } of left) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
