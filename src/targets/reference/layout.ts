// The tmux layout of the orchestrator (upstream Tmux-Orchestrator's) and the tmux commands that build it.
import { ORCHESTRATOR_SESSION, getAgentLogPath, getHealthPortPath, type ReferencePaths } from './paths.js';

/** What runs in a window. */
export type WindowRole = 'agent' | 'shell' | 'health';

/** One expected window: its index is kept on re-creation, so `proj-a:0` stays the agent. */
export interface WindowSpec {
  index: number;
  name: string;
  role: WindowRole;
}

/** One expected session and its windows. */
export interface SessionSpec {
  name: string;
  windows: WindowSpec[];
}

/** What the layout commands need to know to launch the orchestrator's processes. */
export interface LaunchContext {
  paths: ReferencePaths;
  nodePath: string;
  scripts: { agent: string; healthServer: string };
}

const PANE_SIZE = ['-x', '200', '-y', '50'];

/** The sessions and windows for a list of projects, as upstream creates them. */
export function getExpectedLayout(projects: readonly string[]): SessionSpec[] {
  const layout: SessionSpec[] = [{ name: ORCHESTRATOR_SESSION, windows: [{ index: 0, name: 'Orchestrator', role: 'agent' }] }];
  for (const project of new Set(projects)) {
    if (project === ORCHESTRATOR_SESSION) continue;
    layout.push({
      name: project,
      windows: [
        { index: 0, name: 'Claude-Agent', role: 'agent' },
        { index: 1, name: 'Shell', role: 'shell' },
        { index: 2, name: 'Dev-Server', role: 'health' },
      ],
    });
  }
  return layout;
}

/** The argv a window runs; executed directly (no shell) so the pane's pid is the process itself. */
export function getWindowCommand(context: LaunchContext, session: string, window: WindowSpec): string[] {
  switch (window.role) {
    case 'agent':
      return [context.nodePath, context.scripts.agent, getAgentLogPath(context.paths, session)];
    case 'health':
      return [context.nodePath, context.scripts.healthServer, getHealthPortPath(context.paths, session)];
    case 'shell':
      return ['bash', '--norc', '--noprofile'];
  }
}

/** Exact-match tmux target for a window (`=name` never matches another session by prefix). */
export function getWindowTarget(session: string, index: number): string {
  return `=${session}:${index}`;
}

/** tmux arguments that create one session with all its windows in a single client call. */
export function buildSessionArgs(context: LaunchContext, session: SessionSpec): string[] {
  const [first, ...rest] = session.windows;
  if (!first) throw new Error(`session ${session.name} has no windows`);
  const args = ['new-session', '-d', '-s', session.name, '-n', first.name, ...PANE_SIZE, '-c', context.paths.dir, '--', ...getWindowCommand(context, session.name, first)];
  for (const window of rest) args.push(';', ...buildWindowArgs(context, session.name, window));
  return args;
}

/** tmux arguments that create one window at its index. */
export function buildWindowArgs(context: LaunchContext, session: string, window: WindowSpec, options: { keepIndex?: boolean } = {}): string[] {
  const target = options.keepIndex === false ? `=${session}:` : getWindowTarget(session, window.index);
  return ['new-window', '-d', '-t', target, '-n', window.name, '-c', context.paths.dir, '--', ...getWindowCommand(context, session, window)];
}

/** tmux arguments that replace whatever runs in a window's pane with its expected process. */
export function buildRespawnArgs(context: LaunchContext, session: string, window: WindowSpec, paneTarget: string): string[] {
  return ['respawn-pane', '-k', '-t', paneTarget, '-c', context.paths.dir, '--', ...getWindowCommand(context, session, window)];
}

/** tmux arguments that start the server with the whole layout and print the server's pid. */
export function buildServerArgs(context: LaunchContext, layout: readonly SessionSpec[]): string[] {
  const args: string[] = [];
  layout.forEach((session, position) => {
    if (position > 0) args.push(';');
    args.push(...buildSessionArgs(context, session));
    if (position === 0) args.push(';', 'set-option', '-g', 'remain-on-exit', 'off', ';', 'set-option', '-g', 'exit-empty', 'on');
  });
  args.push(';', 'display-message', '-p', '#{pid}');
  return args;
}

/** The list-panes format the healer and status read: one line per pane. */
export const PANE_FORMAT = ['#{session_name}', '#{window_index}', '#{window_name}', '#{pane_index}', '#{pane_dead}', '#{pane_pid}', '#{pane_current_command}'].join('\t');

/** One pane as listed by tmux. */
export interface PaneInfo {
  session: string;
  windowIndex: number;
  windowName: string;
  paneIndex: number;
  dead: boolean;
  pid: number;
  command: string;
}

/** Parses `list-panes -a -F PANE_FORMAT` output. */
export function parsePanes(stdout: string): PaneInfo[] {
  const panes: PaneInfo[] = [];
  for (const line of stdout.split('\n')) {
    const fields = line.split('\t');
    if (fields.length < 7) continue;
    panes.push({
      session: fields[0]!,
      windowIndex: Number(fields[1]),
      windowName: fields[2]!,
      paneIndex: Number(fields[3]),
      dead: fields[4] === '1',
      pid: Number(fields[5]),
      command: fields.slice(6).join('\t'),
    });
  }
  return panes;
}
