// A dependency-free child-process runner: the orchestrator's own scripts must start fast (no execa).
import { execFile } from 'node:child_process';
import { accessSync, constants, lstatSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';

/** Outcome of one command; never thrown. */
export interface CommandResult {
  exitCode: number;
  stdout: string;
  stderr: string;
  /** Set when the command could not run or was killed (ENOENT, timeout). */
  error?: string;
  timedOut?: boolean;
}

/** Runs `file args…` without a shell and resolves with its exit code and output. */
export function runCommand(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string; uid?: number; gid?: number } = {}): Promise<CommandResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { env: options.env, cwd: options.cwd, uid: options.uid, gid: options.gid, timeout: options.timeoutMs ?? 5000, killSignal: 'SIGKILL', maxBuffer: 8 * 1024 * 1024, encoding: 'utf8' },
      (error, stdout, stderr) => {
        if (!error) return resolve({ exitCode: 0, stdout, stderr });
        const failure = error as NodeJS.ErrnoException & { killed?: boolean; code?: number | string };
        resolve({
          exitCode: typeof failure.code === 'number' ? failure.code : -1,
          stdout: String(stdout ?? ''),
          stderr: String(stderr ?? ''),
          error: failure.message,
          timedOut: failure.killed === true,
        });
      },
    );
  });
}

/**
 * Runs tmux on the instance's own socket, never the default server; -f /dev/null ignores user config.
 * As root, the client runs as the owner of the socket's directory (the instance's uid): the target can
 * swap its socket for a link to a root tmux server at any moment, and the kernel then refuses that
 * uid the connection, while the instance's own server (that uid's) accepts it.
 */
export function runSocketTmux(socketPath: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number } = {}): Promise<CommandResult> {
  return runCommand('tmux', ['-f', '/dev/null', '-S', socketPath, ...args], { ...options, ...getClientIdentity(socketPath) });
}

// lstat, not stat: a directory swapped for a link is the link's owner's, and that owner is the target.
function getClientIdentity(socketPath: string): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  try {
    const { uid, gid } = lstatSync(dirname(socketPath));
    return uid === 0 ? {} : { uid, gid };
  } catch {
    return {};
  }
}

/** One-line description of a failed command for logs and events. */
export function describeFailure(result: CommandResult): string {
  const text = (result.stderr || result.error || '').trim().split('\n')[0] ?? '';
  return result.timedOut ? `timed out${text ? `: ${text}` : ''}` : text || `exit code ${result.exitCode}`;
}

/** The first executable `name` in a PATH-style list, or undefined. */
export function findExecutable(name: string, pathList: string): string | undefined {
  for (const dir of pathList.split(delimiter).filter(Boolean)) {
    try {
      accessSync(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // Not here.
    }
  }
  return undefined;
}
