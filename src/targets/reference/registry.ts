// registry/sessions.json: the sessions and windows the orchestrator runs, rewritten after each repair.
import { writeFileReplacing } from '../../util/safe-fs.js';
import { runSocketTmux } from './exec.js';
import { PANE_FORMAT, parsePanes, type PaneInfo } from './layout.js';
import type { ReferencePaths } from './paths.js';

/** Contents of registry/sessions.json. */
export interface SessionRegistry {
  updatedAt: number;
  socketPath: string;
  sessions: Array<{ name: string; windows: Array<{ index: number; name: string; panePid: number; command: string }> }>;
}

/** Groups a pane listing into sessions and windows (first pane of each window). */
export function buildRegistry(socketPath: string, panes: readonly PaneInfo[]): SessionRegistry {
  const sessions = new Map<string, SessionRegistry['sessions'][number]>();
  for (const pane of panes) {
    let session = sessions.get(pane.session);
    if (!session) sessions.set(pane.session, (session = { name: pane.session, windows: [] }));
    if (session.windows.some((window) => window.index === pane.windowIndex)) continue;
    session.windows.push({ index: pane.windowIndex, name: pane.windowName, panePid: pane.pid, command: pane.command });
  }
  return { updatedAt: performance.timeOrigin + performance.now(), socketPath, sessions: [...sessions.values()] };
}

/** Lists the live layout and rewrites the registry; returns false when tmux could not be listed. */
export async function writeRegistry(paths: ReferencePaths, env: NodeJS.ProcessEnv): Promise<boolean> {
  const result = await runSocketTmux(paths.socket, ['list-panes', '-a', '-F', PANE_FORMAT], { env, timeoutMs: 2000 });
  if (result.exitCode !== 0) return false;
  // Root writes it at start, into a directory the instance's uid owns: never through a link.
  writeFileReplacing(paths.registry, `${JSON.stringify(buildRegistry(paths.socket, parsePanes(result.stdout)), null, 2)}\n`);
  return true;
}
