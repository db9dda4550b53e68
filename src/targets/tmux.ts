// Runs tmux against one explicit server socket: faultline never talks to the default server.
import { execa } from 'execa';

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

/** Returns the tmux arguments that select the socket; throws if none is given. */
export function getSocketArgs(socket: TmuxSocket): string[] {
  if (socket.socketPath) return ['-S', socket.socketPath];
  if (socket.socketName) return ['-L', socket.socketName];
  throw new Error('A tmux socket (socketPath or socketName) is required: faultline never uses the default tmux server.');
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
