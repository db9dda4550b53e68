// Looks up tmux objects by name and returns their stable ids (a re-created object gets a new id).
import type { Target } from '../targets/types.js';

/** Describes the target's tmux socket for plans and messages. */
export function describeSocket(target: Target): string {
  if (!target.socket) return `(none: target ${target.name} has no tmux server)`;
  return target.socket.socketPath ?? `-L ${target.socket.socketName}`;
}

/** Returns the id ($N) of a session by exact name, or undefined. */
export async function getSessionId(target: Target, session: string): Promise<string | undefined> {
  const result = await target.tmux(['display-message', '-p', '-t', `=${session}:`, '#{session_id}']);
  return result.exitCode === 0 && result.stdout.trim() ? result.stdout.trim() : undefined;
}

/** Returns the id (@N) of a window by session and window name or index, or undefined. */
export async function getWindowId(target: Target, session: string, window: string | number): Promise<string | undefined> {
  const result = await target.tmux(['list-windows', '-t', `=${session}`, '-F', '#{window_id}\t#{window_index}\t#{window_name}']);
  if (result.exitCode !== 0) return undefined;
  const wanted = String(window);
  const line = result.stdout.split('\n').find((row) => row.split('\t').slice(1).includes(wanted));
  return line?.split('\t')[0];
}
