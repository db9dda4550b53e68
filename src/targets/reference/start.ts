// startReference: lays out a fresh instance, starts tmux, scheduler and healer, and waits until it is steady.
import { randomBytes } from 'node:crypto';
import { appendFileSync, existsSync, lchownSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RollbackError, TargetError, getErrorMessage } from '../../errors.js';
import { epochMs } from '../../util/clock.js';
import { writeFileAtomic } from '../../util/files.js';
import { appendToFile } from '../../util/safe-fs.js';
import { renderConfig } from './config-file.js';
import { buildTargetEnv } from './environment.js';
import { createBallast, BALLAST_NAME } from './data-area.js';
import { describeFailure, runCommand } from './exec.js';
import { buildServerArgs, getExpectedLayout, type LaunchContext } from './layout.js';
import { isMounted, mountDataArea, unmountDataArea } from './mount.js';
import { resolveReferenceOptions, type ReferenceOptions } from './options.js';
import { MAX_SOCKET_PATH, getReferencePaths, type ReferencePaths } from './paths.js';
import { spawnDetached, writePidFile } from './processes.js';
import { ReferenceTarget } from './reference-target.js';
import { writeRegistry } from './registry.js';
import { checkAccess, chooseRunAs, chownTree, getIdentityOptions, getRootFallback, wrapWithBudget, type RunAs } from './run-as.js';
import { getReferenceScripts } from './scripts.js';
import { TMUX_UTILS_SCRIPT } from './tmux-utils-script.js';
import { writeReferenceState, type ReferenceState } from './state.js';
import { getReferenceStatus } from './status.js';
import { waitUntilSteady } from './steady.js';
import { keepStartEvidence } from './start-failure.js';
import { stopReference } from './stop.js';
import { releaseUidLock } from './uid-lock.js';

const STEADY_TIMEOUT_MS = 10_000;
// Everything start creates; a reused directory loses these (and only these) so every start is fresh.
const OWN_ENTRIES = ['target.json', 'tmux.sock', 'config', 'registry', 'logs', 'tmp', 'agents', 'run', 'healer', 'data', 'bin', 'lib'];

/**
 * Starts a reference orchestrator and resolves once it is steady. Without `dir` it lives in a
 * fresh temp directory that stop removes; a `dir` you pass is kept on stop (only its run state goes),
 * unless `ownsDir` says faultline chose it (see chooseInstanceDir).
 */
export async function startReference(options: ReferenceOptions = {}): Promise<ReferenceTarget> {
  return startInstance(options, options.ownsDir ?? options.dir === undefined);
}

/**
 * A fresh instance directory under the OS temp dir, not created yet: record it (a ledger intent)
 * first, then start into it with `ownsDir: true`, so a crash during start leaves nothing unrecorded.
 */
export function chooseInstanceDir(): string {
  const dir = join(realpathSync(tmpdir()), `faultline-ref-${randomBytes(6).toString('hex')}`);
  checkSocketPath(dir);
  return dir;
}

/** Starts an instance; `ownsDir` says whether stop removes the directory (kept across reset). */
export async function startInstance(options: ReferenceOptions, ownsDir: boolean): Promise<ReferenceTarget> {
  const resolved = resolveReferenceOptions(options);
  const scripts = getReferenceScripts();
  const dir = await prepareDirectory(options.dir, ownsDir);
  const paths = getReferencePaths(dir);
  const env = buildTargetEnv(paths);
  const state: ReferenceState = {
    version: 1,
    kind: 'reference',
    dir,
    socketPath: paths.socket,
    ownsDir,
    createdBy: { pid: process.pid, at: epochMs() },
    options: resolved,
    nodePath: process.execPath,
    scripts,
    env,
    pids: {},
    startedAt: epochMs(),
  };
  try {
    createLayoutFiles(paths, state);
    const runAs = await settleRunAs(paths, state);
    state.runAs = runAs;
    state.env = buildTargetEnv(paths, process.env, { ownHome: runAs.uid !== process.getuid?.() });
    state.checkinVia = await canRunPython(state.env, runAs) ? 'python3' : 'tmux';
    state.data = await mountDataArea(paths.dataDir, resolved.dataSizeMiB, runAs);
    createBallast(state.data);
    lchownSync(join(paths.dataDir, BALLAST_NAME), runAs.uid, runAs.gid);
    writeReferenceState(paths.state, state);

    const launch: LaunchContext = { paths, nodePath: state.nodePath, scripts };
    const layout = getExpectedLayout(resolved.projects);
    // The server (and so every pane) starts as the uid under its budget; tmux -f /dev/null ignores user config.
    const [file, args] = wrapWithBudget(runAs, 'tmux', ['-f', '/dev/null', '-S', paths.socket, ...buildServerArgs(launch, layout)]);
    const created = await runCommand(file, args, { env: state.env, timeoutMs: 5000, ...getIdentityOptions(runAs) });
    if (created.exitCode !== 0) throw new Error(`tmux could not create the layout: ${describeFailure(created)}`);
    state.pids.tmuxServer = Number(created.stdout.trim().split('\n').pop());
    writePidFile(paths.tmuxPid, state.pids.tmuxServer);

    const spawnOptions = { env: state.env, cwd: dir, runAs };
    state.pids.scheduler = spawnDetached(state.nodePath, scripts.scheduler, [dir], { ...spawnOptions, logFile: join(paths.logsDir, 'scheduler.out') });
    writePidFile(paths.schedulerPid, state.pids.scheduler);
    if (resolved.heal) {
      state.pids.healer = spawnDetached(state.nodePath, scripts.healer, [dir], { ...spawnOptions, logFile: join(paths.logsDir, 'healer.out') });
      writePidFile(paths.healerPid, state.pids.healer);
    }
    writeReferenceState(paths.state, state);

    await waitUntilSteady(paths, layout, { heal: resolved.heal, env: state.env, timeoutMs: STEADY_TIMEOUT_MS });
    await writeRegistry(paths, state.env);
    state.readyAt = epochMs();
    writeReferenceState(paths.state, state);
    // The panes run as the instance's uid by now: the log is appended to without following a link they planted.
    appendToFile(paths.orchestratorLog, `${new Date().toISOString()} orchestrator started (projects: ${resolved.projects.join(', ') || 'none'}, healer ${resolved.heal ? 'on' : 'off'})\n`);
    return new ReferenceTarget(state);
  } catch (error) {
    // Evidence first: stop kills the processes and may remove the dir with its logs.
    const evidence = keepStartEvidence(paths, state.runAs, getErrorMessage(error));
    const stopped = await stopReference(dir, { keepDir: !ownsDir, ownsDir }).catch((stopError: unknown) => ({ complete: false, left: [`(stop failed: ${getErrorMessage(stopError)})`], notes: [] }));
    // What survived keeps its dir (and uid lock): removing them would hide it from recover and a second stop.
    if (stopped.complete && ownsDir && existsSync(dir) && !isMounted(paths.dataDir)) rmSync(dir, { recursive: true, force: true });
    const survivors = stopped.complete ? '' : `\n  still running after stop: ${stopped.left.join('; ')} (${dir} kept: run \`faultline recover\`, or \`faultline target down --dir ${dir}\` once they are gone)`;
    const ErrorClass = stopped.complete ? TargetError : RollbackError; // residue: exit 4
    throw new ErrorClass(`the reference orchestrator did not start in ${dir}: ${getErrorMessage(error)}${evidence}${survivors}`, {
      cause: error,
      hint: "check that tmux and bash are installed, and read the helpers' output above (and the copy of the logs it names)",
    });
  }
}

// A fresh mkdtemp, or the caller's directory after making sure nothing runs there and clearing our entries.
async function prepareDirectory(requested: string | undefined, ownsDir: boolean): Promise<string> {
  const dir = requested === undefined ? mkdtempSync(join(realpathSync(tmpdir()), 'faultline-ref-')) : resolve(requested);
  checkSocketPath(dir);
  if (requested === undefined) return dir;
  if (ownsDir && !existsSync(dir)) {
    // Chosen by chooseInstanceDir and recorded, not created yet: create it private, as mkdtemp would.
    mkdirSync(dir, { mode: 0o700 });
    return realpathSync(dir);
  }
  mkdirSync(dir, { recursive: true });
  const real = realpathSync(dir);
  checkSocketPath(real);
  if (existsSync(join(real, 'target.json'))) {
    const status = await getReferenceStatus(real);
    if (status.running) {
      throw new TargetError(`a reference orchestrator is already running in ${real}`, { hint: `stop it with \`faultline target down --dir ${real}\`` });
    }
  } else if (readdirSync(real).length > 0) {
    // Never clear entries named config/, logs/, … in a directory that is not ours.
    throw new TargetError(`${real} is not empty and holds no reference orchestrator (no target.json)`, { hint: 'pass a new or empty directory' });
  }
  const data = join(real, 'data');
  if (isMounted(data) && !(await unmountDataArea(data))) throw new TargetError(`a stale data area is still mounted at ${data}`, { hint: `unmount it: umount ${data}` });
  for (const entry of OWN_ENTRIES) rmSync(join(real, entry), { recursive: true, force: true });
  return real;
}

function checkSocketPath(dir: string): void {
  const socket = getReferencePaths(dir).socket;
  if (socket.length > MAX_SOCKET_PATH) {
    throw new TargetError(`the tmux socket path would be ${socket.length} characters (${socket}); unix sockets allow at most ${MAX_SOCKET_PATH}`, {
      hint: 'use a shorter --dir, e.g. under /tmp',
    });
  }
}

function createLayoutFiles(paths: ReferencePaths, state: ReferenceState): void {
  for (const dir of [paths.configDir, paths.lastKnownGoodDir, join(paths.dir, 'registry'), paths.logsDir, paths.tmpDir, paths.agentsDir, paths.runDir, paths.dataDir, paths.healerDir, paths.binDir, paths.libDir]) {
    mkdirSync(dir, { recursive: true });
  }
  const config = renderConfig(state.options);
  writeFileAtomic(paths.config, config);
  writeFileAtomic(paths.lastKnownGood, config);
  writeFileAtomic(paths.events, '');
  writeFileAtomic(paths.tmuxUtils, TMUX_UTILS_SCRIPT);
  // Created now so they belong to the instance's uid (a file root creates later would not be writable by it).
  for (const log of [paths.orchestratorLog, paths.healerLog, join(paths.logsDir, 'scheduler.out'), join(paths.logsDir, 'healer.out')]) appendFileSync(log, '');
  writeReferenceState(paths.state, state);
}

// As root: the dedicated uid gets the tree, unless it cannot reach it (a parent dir not searchable, scripts unreadable).
async function settleRunAs(paths: ReferencePaths, state: ReferenceState): Promise<RunAs> {
  const chosen = chooseRunAs(paths.dir, state.options, state.options.runAsUid);
  if (chosen.uid === process.getuid?.()) return chosen;
  const owner = statSync(paths.dir);
  chownTree(paths.dir, chosen.uid, chosen.gid);
  const problem = await checkAccess(chosen, { dir: paths.dir, nodePath: state.nodePath, script: state.scripts.healer });
  if (problem === undefined) return chosen;
  chownTree(paths.dir, owner.uid, owner.gid);
  releaseUidLock(chosen.uid, paths.dir);
  return getRootFallback(problem);
}

// Check-ins go through python3 like upstream's; a host without it still gets check-ins, straight through tmux.
async function canRunPython(env: Record<string, string>, runAs: RunAs): Promise<boolean> {
  const result = await runCommand('python3', ['-c', 'import subprocess'], { env, timeoutMs: 5000, cwd: '/', ...getIdentityOptions(runAs) });
  return result.exitCode === 0;
}
