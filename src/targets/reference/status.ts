// getReferenceStatus: what runs in an instance directory (server, sessions, processes, healer, mount).
import { existsSync, lstatSync } from 'node:fs';
import { resolve } from 'node:path';
import { buildClientEnv } from './environment.js';
import { runSocketTmux } from './exec.js';
import { PANE_FORMAT, getExpectedLayout, parsePanes } from './layout.js';
import { isMounted, type DataArea } from './mount.js';
import { getReferencePaths } from './paths.js';
import { isInstanceProcess, readPidFile, readRecordedPids } from './processes.js';
import { readReferenceState, type ReferenceState } from './state.js';
import type { RunAs } from './run-as.js';

/** One recorded process of the instance. */
export interface ProcessStatus {
  name: string;
  pid: number;
  alive: boolean;
}

/** A description of an instance, live or not. */
export interface ReferenceStatus {
  dir: string;
  /** target.json exists and parses. */
  exists: boolean;
  /** The tmux server answers or a recorded process is alive. */
  running: boolean;
  /** Everything expected is there: sessions, windows, scheduler, and the healer when on. */
  healthy: boolean;
  socketPath: string;
  server: { alive: boolean; pid?: number };
  sessions: Array<{ name: string; windows: Array<{ index: number; name: string; pid: number; command: string; dead: boolean }> }>;
  /** Expected sessions/windows that are not there ("tmux-orc", "proj-a:Shell"). */
  missing: string[];
  processes: ProcessStatus[];
  heal: { enabled: boolean; intervalMs?: number; delayMs?: number; alive: boolean };
  projects: string[];
  data?: DataArea & { mounted: boolean };
  /** Who the processes run as and their budgets. */
  runAs?: RunAs;
  ownsDir?: boolean;
  createdBy?: ReferenceState['createdBy'];
  startedAt?: number;
  readyAt?: number;
}

/** Describes the instance in `dir`; never throws for a missing or crashed one. */
export async function getReferenceStatus(dir: string): Promise<ReferenceStatus> {
  const root = resolve(dir);
  const paths = getReferencePaths(root);
  const state = readReferenceState(paths.state);
  const processes = await Promise.all(readRecordedPids(paths.runDir).map(async ({ file, pid }) => ({ name: file.replace(/\.pid$/, ''), pid, alive: await isInstanceProcess(pid, root) })));
  // faultline's own env, not target.json's (the instance's uid can rewrite it); a socket swapped for a link is not followed.
  const listed = isSocket(paths.socket)
    ? await runSocketTmux(paths.socket, ['list-panes', '-a', '-F', PANE_FORMAT], { env: buildClientEnv(), timeoutMs: 2000 })
    : undefined;
  const panes = listed?.exitCode === 0 ? parsePanes(listed.stdout) : [];
  const serverAlive = listed?.exitCode === 0;

  const sessions: ReferenceStatus['sessions'] = [];
  for (const pane of panes) {
    let session = sessions.find((candidate) => candidate.name === pane.session);
    if (!session) sessions.push((session = { name: pane.session, windows: [] }));
    if (!session.windows.some((window) => window.index === pane.windowIndex)) {
      session.windows.push({ index: pane.windowIndex, name: pane.windowName, pid: pane.pid, command: pane.command, dead: pane.dead });
    }
  }
  const projects = state?.options.projects ?? [];
  const missing: string[] = [];
  for (const session of getExpectedLayout(projects)) {
    const live = sessions.find((candidate) => candidate.name === session.name);
    if (!live) missing.push(session.name);
    else for (const window of session.windows) if (!live.windows.some((candidate) => candidate.name === window.name)) missing.push(`${session.name}:${window.name}`);
  }
  const isAlive = (name: string) => processes.some((process) => process.name === name && process.alive);
  const healEnabled = state?.options.heal ?? existsSync(paths.healerPid);
  const healthy = serverAlive && missing.length === 0 && isAlive('scheduler') && (!healEnabled || isAlive('healer'));
  return {
    dir: root,
    exists: state !== undefined,
    running: serverAlive || processes.some((process) => process.alive),
    healthy,
    socketPath: paths.socket,
    server: { alive: serverAlive, pid: readPidFile(paths.tmuxPid) },
    sessions,
    missing,
    processes,
    heal: { enabled: healEnabled, intervalMs: state?.options.healIntervalMs, delayMs: state?.options.healDelayMs, alive: isAlive('healer') },
    projects,
    data: state?.data && { ...state.data, mounted: isMounted(paths.dataDir) },
    runAs: state?.runAs,
    ownsDir: state?.ownsDir,
    createdBy: state?.createdBy,
    startedAt: state?.startedAt,
    readyAt: state?.readyAt,
  };
}

/** True when `path` itself is a unix socket (a symlink to one, which the instance's uid may plant, is not). */
export function isSocket(path: string): boolean {
  try {
    return lstatSync(path).isSocket();
  } catch {
    return false;
  }
}
