// Where everything of one reference-orchestrator instance lives: all of it under one directory.
import { join } from 'node:path';

/** The orchestrator's own session; window 0 runs the orchestrator agent. */
export const ORCHESTRATOR_SESSION = 'tmux-orc';

/** Longest socket path we accept: sun_path holds 108 bytes on Linux, 104 on macOS. */
export const MAX_SOCKET_PATH = 99;

/** Absolute paths of one instance, derived from its directory only (scripts need nothing else). */
export interface ReferencePaths {
  dir: string;
  socket: string;
  state: string;
  configDir: string;
  config: string;
  lastKnownGoodDir: string;
  lastKnownGood: string;
  registry: string;
  logsDir: string;
  orchestratorLog: string;
  healerLog: string;
  tmpDir: string;
  agentsDir: string;
  runDir: string;
  dataDir: string;
  healerDir: string;
  events: string;
  binDir: string;
  libDir: string;
  /** The python3 helper each check-in goes through (upstream's tmux_utils.py). */
  tmuxUtils: string;
  /** What the scheduler persists after each check-in, in the data area. */
  schedulerState: string;
  stopFile: string;
  healerPid: string;
  healerHeartbeat: string;
  schedulerPid: string;
  schedulerHeartbeat: string;
  tmuxPid: string;
}

/** Returns every path of the instance rooted at `dir` (an absolute path). */
export function getReferencePaths(dir: string): ReferencePaths {
  const configDir = join(dir, 'config');
  const lastKnownGoodDir = join(configDir, '.last-known-good');
  const logsDir = join(dir, 'logs');
  const runDir = join(dir, 'run');
  const healerDir = join(dir, 'healer');
  return {
    dir,
    socket: join(dir, 'tmux.sock'),
    state: join(dir, 'target.json'),
    configDir,
    config: join(configDir, 'orchestrator.conf'),
    lastKnownGoodDir,
    lastKnownGood: join(lastKnownGoodDir, 'orchestrator.conf'),
    registry: join(dir, 'registry', 'sessions.json'),
    logsDir,
    orchestratorLog: join(logsDir, 'orchestrator.log'),
    healerLog: join(logsDir, 'healer.log'),
    tmpDir: join(dir, 'tmp'),
    agentsDir: join(dir, 'agents'),
    runDir,
    dataDir: join(dir, 'data'),
    healerDir,
    events: join(healerDir, 'events.jsonl'),
    binDir: join(dir, 'bin'),
    libDir: join(dir, 'lib'),
    tmuxUtils: join(dir, 'lib', 'tmux_utils.py'),
    schedulerState: join(dir, 'data', 'state', 'scheduler.json'),
    stopFile: join(runDir, 'stop'),
    healerPid: join(runDir, 'healer.pid'),
    healerHeartbeat: join(runDir, 'healer.heartbeat'),
    schedulerPid: join(runDir, 'scheduler.pid'),
    schedulerHeartbeat: join(runDir, 'scheduler.heartbeat'),
    tmuxPid: join(runDir, 'tmux.pid'),
  };
}

/** The agent REPL's message log for a session. */
export function getAgentLogPath(paths: ReferencePaths, session: string): string {
  return join(paths.agentsDir, `${session}.log`);
}

/** The pidfile an agent writes once it printed `ready`. */
export function getAgentPidPath(paths: ReferencePaths, session: string): string {
  return join(paths.runDir, `${session}.agent.pid`);
}

/** The file where a project's health server publishes its loopback port. */
export function getHealthPortPath(paths: ReferencePaths, session: string): string {
  return join(paths.runDir, `${session}.health.port`);
}
