// Runs tmux against one explicit server socket: faultline never talks to the default server.
import { execa } from 'execa';
import { isDefaultTmuxServer } from './tmux-socket.js';

/** How to reach a tmux server: a socket path (-S) or a socket name (-L). */
export interface TmuxSocket {
  socketPath?: string;
  socketName?: string;
}

/** Result of one tmux invocation. */
export interface TmuxResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Returns the tmux arguments that select the socket; throws if none is given or it is a default server. */
export function getSocketArgs(socket: TmuxSocket): string[] {
  if (!socket.socketPath && !socket.socketName) throw new Error('A tmux socket (socketPath or socketName) is required: faultline never uses the default tmux server.');
  // The last line of defence: every tmux call goes through here, whoever built the socket.
  if (isDefaultServerCached(socket)) throw new Error(`refusing the default tmux server (${socket.socketPath ?? `-L ${socket.socketName}`}): faultline never touches it`);
  if (socket.socketPath) return ['-S', socket.socketPath];
  return ['-L', socket.socketName!];
}

// Probes call tmux every few ms: resolve each socket once per TMUX_TMPDIR.
const defaultServerChecks = new Map<string, boolean>();
function isDefaultServerCached(socket: TmuxSocket): boolean {
  const key = JSON.stringify([socket.socketPath, socket.socketName, process.env.TMUX_TMPDIR]);
  let found = defaultServerChecks.get(key);
  if (found === undefined) {
    found = isDefaultTmuxServer(socket);
    defaultServerChecks.set(key, found);
  }
  return found;
}

/** Environment for tmux clients: drop $TMUX so commands work from inside a tmux pane too. */
export function getTmuxEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && key !== 'TMUX' && key !== 'TMUX_PANE') env[key] = value;
  }
  return { ...env, ...extra };
}

/** Runs `tmux <socket args> <args>` without throwing on a non-zero exit. */
export async function runTmux(socket: TmuxSocket, args: string[], options: { env?: Record<string, string>; timeoutMs?: number } = {}): Promise<TmuxResult> {
  const result = await execa('tmux', [...getSocketArgs(socket), ...args], {
    reject: false,
    env: getTmuxEnv(options.env),
    extendEnv: false,
    stdin: 'ignore',
    timeout: options.timeoutMs ?? 10_000,
  });
  return {
    exitCode: result.exitCode ?? (result.failed ? 1 : 0),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
}
