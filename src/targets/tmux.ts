// Runs tmux against one explicit server socket: faultline never talks to the default server.
import { execa } from 'execa';
import { closeSync, fstatSync, readlinkSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { formatIdentity, openDirectory, openNode } from '../util/safe-fs.js';
import { isDefaultTmuxServer, resolveTmuxSocket } from './tmux-socket.js';

/** How to reach a tmux server: a socket path (-S) or a socket name (-L). */
export interface TmuxSocket {
  socketPath?: string;
  socketName?: string;
  /** Who the server runs as, when known in advance (a reference instance's own uid): the socket file must be that uid's. */
  ownerUid?: number;
}

/** Result of one tmux invocation. */
export interface TmuxResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/**
 * The socket of one tmux call, checked just now: the arguments to pass tmux and, when the socket
 * exists, the O_PATH descriptor they name (`-S /proc/self/fd/3`: give it to the child as its fd 3).
 * Close it once the child is spawned.
 */
export interface TmuxSocketHandle {
  args: string[];
  fd?: number;
  /**
   * Run the client as this uid/gid: set (as root) when no socket exists yet in a directory another uid
   * owns, so a link that uid plants there before tmux connects leads only where that uid may connect.
   */
  uid?: number;
  gid?: number;
  close(): void;
}

// What a socket was when first checked in this process: its canonical path (passed to tmux from then
// on, never the spelling, whose links the target may swap), the socket file's owner and inode.
interface SocketRecord {
  canonical: string;
  ownerUid?: number;
  identity?: string;
}
const records = new Map<string, SocketRecord>();

/**
 * Returns tmux arguments for the socket (its canonical path) after checking the socket file now: not
 * a default server, not a link, owned by the uid recorded when it was first seen. Throws otherwise.
 * Prefer openTmuxSocket, which also pins the checked file for the call (no window for a swap).
 */
export function getSocketArgs(socket: TmuxSocket): string[] {
  const handle = openTmuxSocket(socket);
  handle.close();
  return ['-S', getRecord(socket).canonical];
}

/** Checks the socket (see getSocketArgs) and opens it for one tmux call; throws when it is not the recorded server. */
export function openTmuxSocket(socket: TmuxSocket): TmuxSocketHandle {
  const record = getRecord(socket);
  const { canonical } = record;
  let dirFd: number | undefined;
  let fd: number | undefined;
  try {
    try {
      dirFd = openDirectory(dirname(canonical));
      fd = openNode(dirFd, basename(canonical));
    } catch (error) {
      // No directory yet, no server: tmux says so (or creates both).
      if (((error as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return { args: ['-S', canonical], close: () => undefined };
      throw refuse(socket, `its directory ${dirname(canonical)} changed (${(error as Error).message})`);
    }
    if (fd === undefined) return { args: ['-S', canonical], ...getDirectoryOwner(dirFd), close: () => undefined }; // No server: tmux says so (or starts one).
    const stats = fstatSync(fd, { bigint: true });
    if (stats.isSymbolicLink()) throw refuse(socket, `${canonical} was replaced by a symlink (to ${readLinkQuietly(canonical)})`);
    if (!stats.isSocket()) throw refuse(socket, `${canonical} is not a socket`);
    const uid = Number(stats.uid);
    record.ownerUid ??= uid;
    if (uid !== record.ownerUid) throw refuse(socket, `${canonical} belongs to uid ${uid}, not to the target's server (uid ${record.ownerUid})`);
    const identity = formatIdentity(stats);
    if (identity !== record.identity) {
      // A restarted server has a new socket inode; a hard link to someone's default socket is one too.
      if (isDefaultTmuxServer({ socketPath: canonical })) throw refuse(socket, `${canonical} is now the default tmux server`);
      record.identity = identity;
    }
    const pinned = fd;
    fd = undefined;
    return { args: ['-S', '/proc/self/fd/3'], fd: pinned, close: () => closeSync(pinned) };
  } finally {
    if (fd !== undefined) closeSync(fd);
    if (dirFd !== undefined) closeSync(dirFd);
  }
}

function getRecord(socket: TmuxSocket): SocketRecord {
  if (!socket.socketPath && !socket.socketName) throw new Error('A tmux socket (socketPath or socketName) is required: faultline never uses the default tmux server.');
  const key = JSON.stringify([socket.socketPath, socket.socketName, process.env.TMUX_TMPDIR]);
  let record = records.get(key);
  if (!record) {
    // The last line of defence: every tmux call goes through here, whoever built the socket.
    if (isDefaultTmuxServer(socket)) throw new Error(`refusing the default tmux server (${socket.socketPath ?? `-L ${socket.socketName}`}): faultline never touches it`);
    record = { canonical: resolveTmuxSocket(socket), ...(socket.ownerUid === undefined ? {} : { ownerUid: socket.ownerUid }) };
    records.set(key, record);
  }
  return record;
}

function getDirectoryOwner(dirFd: number): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const { uid, gid } = fstatSync(dirFd);
  return uid === 0 ? {} : { uid, gid };
}

function refuse(socket: TmuxSocket, why: string): Error {
  return new Error(`refusing the tmux socket ${socket.socketPath ?? `-L ${socket.socketName}`}: ${why}; faultline only talks to the target's own server — stop whatever swaps it, then run again`);
}

function readLinkQuietly(path: string): string {
  try {
    return readlinkSync(path);
  } catch {
    return '?';
  }
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
  const handle = openTmuxSocket(socket);
  let result;
  try {
    result = await execa('tmux', [...handle.args, ...args], {
      reject: false,
      env: getTmuxEnv(options.env),
      extendEnv: false,
      // A raw descriptor as the child's fd 3: execa passes it to spawn as is (its types only list fd 0-2 for numbers).
      stdio: (handle.fd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', 'pipe', 'pipe', handle.fd]) as ['ignore', 'pipe', 'pipe'],
      timeout: options.timeoutMs ?? 10_000,
      ...(handle.uid === undefined ? {} : { uid: handle.uid, gid: handle.gid }),
    });
  } finally {
    handle.close();
  }
  return {
    exitCode: result.exitCode ?? (result.failed ? 1 : 0),
    stdout: String(result.stdout ?? ''),
    stderr: String(result.stderr ?? ''),
  };
}
