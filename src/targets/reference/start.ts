// startReference: lays out a fresh instance, starts tmux, scheduler and healer, and waits until it is steady.
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TargetError, getErrorMessage } from '../../errors.js';
import { epochMs } from '../../util/clock.js';
import { writeFileAtomic } from '../../util/files.js';
import { renderConfig } from './config-file.js';
import { buildTargetEnv } from './environment.js';
import { describeFailure, runSocketTmux } from './exec.js';
import { buildServerArgs, getExpectedLayout, type LaunchContext } from './layout.js';
import { isMounted, mountDataArea, unmountDataArea } from './mount.js';
import { resolveReferenceOptions, type ReferenceOptions } from './options.js';
import { MAX_SOCKET_PATH, getReferencePaths, type ReferencePaths } from './paths.js';
import { spawnDetached, writePidFile } from './processes.js';
import { ReferenceTarget } from './reference-target.js';
import { writeRegistry } from './registry.js';
import { getReferenceScripts } from './scripts.js';
import { writeReferenceState, type ReferenceState } from './state.js';
import { getReferenceStatus } from './status.js';
import { waitUntilSteady } from './steady.js';
import { stopReference } from './stop.js';

const STEADY_TIMEOUT_MS = 10_000;
// Everything start creates; a reused directory loses these (and only these) so every start is fresh.
const OWN_ENTRIES = ['target.json', 'tmux.sock', 'config', 'registry', 'logs', 'tmp', 'agents', 'run', 'healer', 'data', 'bin'];

/**
 * Starts a reference orchestrator and resolves once it is steady. Without `dir` it lives in a
 * fresh temp directory that stop removes; a `dir` you pass is kept on stop (only its run state goes).
 */
export async function startReference(options: ReferenceOptions = {}): Promise<ReferenceTarget> {
  return startInstance(options, options.dir === undefined);
}

/** Starts an instance; `ownsDir` says whether stop removes the directory (kept across reset). */
export async function startInstance(options: ReferenceOptions, ownsDir: boolean): Promise<ReferenceTarget> {
  const resolved = resolveReferenceOptions(options);
  const scripts = getReferenceScripts();
  const dir = await prepareDirectory(options.dir);
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
    state.data = await mountDataArea(paths.dataDir, resolved.dataSizeMiB);
    writeReferenceState(paths.state, state);

    const launch: LaunchContext = { paths, nodePath: state.nodePath, scripts };
    const layout = getExpectedLayout(resolved.projects);
    const created = await runSocketTmux(paths.socket, buildServerArgs(launch, layout), { env, timeoutMs: 5000 });
    if (created.exitCode !== 0) throw new Error(`tmux could not create the layout: ${describeFailure(created)}`);
    state.pids.tmuxServer = Number(created.stdout.trim().split('\n').pop());
    writePidFile(paths.tmuxPid, state.pids.tmuxServer);

    const spawnOptions = { env, cwd: dir };
    state.pids.scheduler = spawnDetached(state.nodePath, scripts.scheduler, [dir], { ...spawnOptions, logFile: join(paths.logsDir, 'scheduler.out') });
    writePidFile(paths.schedulerPid, state.pids.scheduler);
    if (resolved.heal) {
      state.pids.healer = spawnDetached(state.nodePath, scripts.healer, [dir], { ...spawnOptions, logFile: join(paths.logsDir, 'healer.out') });
      writePidFile(paths.healerPid, state.pids.healer);
    }
    writeReferenceState(paths.state, state);

    await waitUntilSteady(paths, layout, { heal: resolved.heal, env, timeoutMs: STEADY_TIMEOUT_MS });
    await writeRegistry(paths, env);
    state.readyAt = epochMs();
    writeReferenceState(paths.state, state);
    appendFileSync(paths.orchestratorLog, `${new Date().toISOString()} orchestrator started (projects: ${resolved.projects.join(', ') || 'none'}, healer ${resolved.heal ? 'on' : 'off'})\n`);
    return new ReferenceTarget(state);
  } catch (error) {
    await stopReference(dir, { keepDir: !ownsDir }).catch(() => undefined);
    if (ownsDir && existsSync(dir) && !isMounted(paths.dataDir)) rmSync(dir, { recursive: true, force: true });
    throw new TargetError(`the reference orchestrator did not start in ${dir}: ${getErrorMessage(error)}`, {
      cause: error,
      hint: 'check that tmux and bash are installed; logs are kept when you pass --dir',
    });
  }
}

// A fresh mkdtemp, or the caller's directory after making sure nothing runs there and clearing our entries.
async function prepareDirectory(requested: string | undefined): Promise<string> {
  const dir = requested === undefined ? mkdtempSync(join(realpathSync(tmpdir()), 'faultline-ref-')) : resolve(requested);
  checkSocketPath(dir);
  if (requested === undefined) return dir;
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
  for (const dir of [paths.configDir, paths.lastKnownGoodDir, join(paths.dir, 'registry'), paths.logsDir, paths.tmpDir, paths.agentsDir, paths.runDir, paths.dataDir, paths.healerDir, paths.binDir]) {
    mkdirSync(dir, { recursive: true });
  }
  const config = renderConfig(state.options);
  writeFileAtomic(paths.config, config);
  writeFileAtomic(paths.lastKnownGood, config);
  writeFileAtomic(paths.events, '');
  writeReferenceState(paths.state, state);
}
