// Where the observer's control client stays attached: only this client's attachment changes.
import { quoteTmuxArg } from './tmux-snapshot.js';
import type { TmuxControlClient } from './tmux-control-client.js';

/**
 * Moves the client to an unwatched session, else to the one with the most windows (a project rather
 * than the orchestrator's own one-window session): when the session it is attached to is killed, tmux
 * detaches it before announcing that session's windows as closed. `onServerPid`: the server's pid, as soon as it is known.
 */
export async function chooseSession(client: TmuxControlClient, watched: ReadonlySet<string>, timeoutMs: number, onServerPid: (pid: number) => void): Promise<void> {
  try {
    // Both at once: one round trip.
    const [listing, current] = await Promise.all([
      client.command('list-sessions -F "#{session_name}\t#{session_windows}"', timeoutMs),
      client.command('display-message -p "#{client_session}\t#{pid}"', timeoutMs),
    ]);
    const [session, pid] = (current.lines[0] ?? '').split('\t');
    if (Number(pid) > 0) onServerPid(Number(pid));
    const sessions = listing.lines.map((line) => line.split('\t')).map(([name = '', windows = '0']) => ({ name, windows: Number(windows), watched: watched.has(name) }));
    const order = (a: (typeof sessions)[number], b: (typeof sessions)[number]) => Number(a.watched) - Number(b.watched) || b.windows - a.windows;
    const best = [...sessions].sort(order)[0];
    const here = sessions.find((candidate) => candidate.name === session);
    if (best && here && order(best, here) < 0) {
      await client.command(`switch-client -t ${quoteTmuxArg(`=${best.name}`)}`, timeoutMs);
    }
  } catch {
    // Staying where attach put it only costs precision when that session is killed.
  }
}
