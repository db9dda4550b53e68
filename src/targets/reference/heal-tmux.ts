// The healer's tmux checks, from ONE `list-panes -a` per tick: server, sessions, windows, agent processes.
import { isPidAlive } from '../../util/pid.js';
import { isInstanceProcess, readPidFile, terminateInstanceProcess, writePidFile } from './processes.js';
import { getAgentPidPath } from './paths.js';
import { describeFailure, runSocketTmux, type CommandResult } from './exec.js';
import {
  PANE_FORMAT,
  buildRespawnArgs,
  buildServerArgs,
  buildSessionArgs,
  buildWindowArgs,
  getExpectedLayout,
  parsePanes,
  type PaneInfo,
  type SessionSpec,
  type WindowSpec,
} from './layout.js';
import type { Finding, HealContext } from './heal-context.js';

/** A listing of every pane, or why the server could not be listed. */
export type PaneListing = { ok: true; panes: PaneInfo[] } | { ok: false; result: CommandResult };

/** Lists all panes of the instance's server in one tmux client call. */
export async function listPanes(context: HealContext): Promise<PaneListing> {
  const result = await runSocketTmux(context.paths.socket, ['list-panes', '-a', '-F', PANE_FORMAT], { env: context.env, timeoutMs: 1000 });
  return result.exitCode === 0 ? { ok: true, panes: parsePanes(result.stdout) } : { ok: false, result };
}

/** True when a command could not even start because fork failed (EAGAIN: the process budget is used up). */
export function isForkFailure(result: CommandResult): boolean {
  return /\bEAGAIN\b/.test(result.error ?? '');
}

/** Compares a listing with the expected layout; findings come in the order they must be repaired. */
export function findTmuxProblems(context: HealContext, listing: PaneListing): Finding[] {
  const layout = getExpectedLayout(context.config.projects);
  if (!listing.ok) return [findServerDown(context, layout, listing.result)];
  const findings: Finding[] = [];
  const sessions = new Set(listing.panes.map((pane) => pane.session));
  for (const session of layout) {
    if (!sessions.has(session.name)) findings.push(findMissingSession(context, session));
  }
  for (const session of layout) {
    if (!sessions.has(session.name)) continue;
    for (const window of session.windows) {
      if (!findFirstPane(listing.panes, session.name, window.name)) findings.push(findMissingWindow(context, session.name, window));
    }
  }
  for (const session of layout) {
    for (const window of session.windows) {
      const pane = findFirstPane(listing.panes, session.name, window.name);
      const problem = pane && getPaneProblem(context, window, pane);
      if (pane && problem) findings.push(findBrokenPane(context, session.name, window, pane, problem));
    }
  }
  return findings;
}

function findFirstPane(panes: readonly PaneInfo[], session: string, windowName: string): PaneInfo | undefined {
  return panes.filter((pane) => pane.session === session && pane.windowName === windowName).sort((a, b) => a.paneIndex - b.paneIndex)[0];
}

function getPaneProblem(context: HealContext, window: WindowSpec, pane: PaneInfo): string | undefined {
  if (pane.dead) return 'pane is dead';
  if (window.role === 'agent' && pane.command !== context.agentCommand) return `agent not running (pane runs "${pane.command}")`;
  return undefined;
}

function findServerDown(context: HealContext, layout: SessionSpec[], result: CommandResult): Finding {
  const hung = result.timedOut === true;
  return {
    component: 'server',
    subject: context.paths.socket,
    detail: hung ? 'tmux server not responding' : `tmux server down: ${describeFailure(result)}`,
    async repair() {
      const stale = readPidFile(context.paths.tmuxPid);
      if (hung && stale !== undefined && (await isInstanceProcess(stale, context.paths.dir))) await terminateInstanceProcess(stale, context.paths.dir, 200);
      const created = await runOrThrow(context, buildServerArgs(context.launch, layout), 3000);
      const pid = Number(created.stdout.trim().split('\n').pop());
      if (Number.isInteger(pid) && pid > 1) writePidFile(context.paths.tmuxPid, pid);
      return `server started (pid ${pid}) with ${layout.map((session) => session.name).join(', ')}`;
    },
  };
}

function findMissingSession(context: HealContext, session: SessionSpec): Finding {
  return {
    component: 'session',
    subject: session.name,
    detail: `session ${session.name} missing${session.windows.length === 1 ? describeAgentExit(context, session.name, session.windows[0]!) : ''}`,
    async repair() {
      await runOrThrow(context, buildSessionArgs(context.launch, session));
      return `session ${session.name} re-created with windows ${session.windows.map((window) => window.name).join(', ')}`;
    },
  };
}

function findMissingWindow(context: HealContext, session: string, window: WindowSpec): Finding {
  return {
    component: 'window',
    subject: `${session}:${window.name}`,
    detail: `window ${session}:${window.name} missing${describeAgentExit(context, session, window)}`,
    async repair() {
      const atIndex = await runSocketTmux(context.paths.socket, buildWindowArgs(context.launch, session, window), { env: context.env, timeoutMs: 2000 });
      if (atIndex.exitCode === 0) return `window ${session}:${window.index} ${window.name} re-created`;
      // Index taken by some other window: append instead of failing.
      await runOrThrow(context, buildWindowArgs(context.launch, session, window, { keepIndex: false }));
      return `window ${session}:${window.name} re-created at the next free index (${describeFailure(atIndex)})`;
    },
  };
}

function findBrokenPane(context: HealContext, session: string, window: WindowSpec, pane: PaneInfo, problem: string): Finding {
  return {
    component: window.role === 'agent' ? 'agent' : 'window',
    subject: `${session}:${window.name}`,
    detail: problem,
    async repair() {
      await runOrThrow(context, buildRespawnArgs(context.launch, session, window, `=${session}:${pane.windowIndex}.${pane.paneIndex}`));
      return `pane ${session}:${pane.windowIndex}.${pane.paneIndex} respawned`;
    },
  };
}

// With remain-on-exit off an agent crash closes its window (and a one-window session): note a gone agent.
function describeAgentExit(context: HealContext, session: string, window: WindowSpec): string {
  if (window.role !== 'agent') return '';
  const pid = readPidFile(getAgentPidPath(context.paths, session));
  return pid !== undefined && !isPidAlive(pid) ? ` (agent pid ${pid} gone)` : '';
}

async function runOrThrow(context: HealContext, args: string[], timeoutMs = 2000): Promise<CommandResult> {
  const result = await runSocketTmux(context.paths.socket, args, { env: context.env, timeoutMs });
  if (result.exitCode !== 0) throw new Error(`tmux ${args[0]} failed: ${describeFailure(result)}`);
  return result;
}
