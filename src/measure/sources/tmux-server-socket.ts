// Where a tmux server listens, and whether anything accepts connections there, found without tmux.
import { connect as connectSocket } from 'node:net';
import { join } from 'node:path';
import type { TmuxSocket } from '../../targets/tmux.js';

/** The socket file of the server (for -L names, where tmux puts it). */
export function getTmuxSocketPath(socket: TmuxSocket): string {
  if (socket.socketPath) return socket.socketPath;
  const base = process.env.TMUX_TMPDIR || '/tmp';
  return join(base, `tmux-${process.getuid?.() ?? 0}`, socket.socketName ?? 'default');
}

/** Connects to the unix socket and closes again: true when a server accepts connections. */
export function isAccepting(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const connection = connectSocket(path);
    connection.once('connect', () => {
      connection.destroy();
      resolve(true);
    });
    connection.once('error', () => resolve(false));
  });
}
