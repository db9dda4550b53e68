// Where a tmux socket really is, and whether it is someone's default server: faultline never touches
// a default server, however its socket is spelled (`/tmp/tmux-0//default`, `-L ../tmux-0/default`,
// a symlink or a hard link to it).
import { readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError } from '../errors.js';

/** A socket as a target names it: a path (tmux -S) or a name (tmux -L) in `tmpdir` (else $TMUX_TMPDIR, else /tmp). */
export interface TmuxSocketSpec {
  socketPath?: string;
  socketName?: string;
  /** The TMUX_TMPDIR the target's tmux runs with; a name resolves in `<tmpdir>/tmux-<uid>/`. */
  tmpdir?: string;
}

/** What the resolution depends on besides the spec (tests give their own). */
export interface TmuxSocketContext {
  env?: NodeJS.ProcessEnv;
  uid?: number;
}

/** The canonical absolute path of the socket tmux would use; throws InputError for a name tmux would not take. */
export function resolveTmuxSocket(spec: TmuxSocketSpec, context: TmuxSocketContext = {}): string {
  const env = context.env ?? process.env;
  if (spec.socketPath !== undefined && spec.socketPath !== '') return canonicalize(resolve(spec.socketPath));
  const name = spec.socketName;
  if (name === undefined || name === '') throw new InputError('tmux: give a socketPath or a socketName', { hint: 'faultline never uses the default tmux server' });
  // tmux's own rule for -L: a name, not a path; `.` and `..` would name the directory itself.
  if (name.includes('/') || name === '.' || name === '..') {
    throw new InputError(`tmux socketName ${JSON.stringify(name)}: a socket name cannot contain "/" or be "." or ".."`, { hint: 'give a plain name (tmux -L NAME) or a socketPath (tmux -S PATH)' });
  }
  const uid = context.uid ?? process.getuid?.() ?? 0;
  const base = spec.tmpdir || env.TMUX_TMPDIR || '/tmp';
  return canonicalize(join(resolve(base), `tmux-${uid}`, name));
}

/** True when the socket is the default server of any uid: `default` in a tmux-<uid> directory of /tmp or $TMUX_TMPDIR, or the same inode. */
export function isDefaultTmuxServer(spec: TmuxSocketSpec, context: TmuxSocketContext = {}): boolean {
  const socket = resolveTmuxSocket(spec, context);
  const bases = getDefaultBases(context.env ?? process.env);
  const dir = dirname(socket);
  if (basename(socket) === 'default' && /^tmux-\d+$/.test(basename(dir)) && bases.includes(dirname(dir))) return true;
  return isSameFileAsDefault(socket, bases);
}

/** Resolves the socket and refuses a default server (exit 2); returns the canonical path. `where` names the field. */
export function checkTmuxSocket(spec: TmuxSocketSpec, where: string, context: TmuxSocketContext = {}): string {
  const socket = resolveTmuxSocket(spec, context);
  if (isDefaultTmuxServer(spec, context)) {
    throw new InputError(`${where}: ${socket} is the default tmux server`, {
      hint: 'run the orchestrator on its own socket (tmux -L NAME or -S PATH, or a private TMUX_TMPDIR) and name that one; faultline never touches the default server',
    });
  }
  return socket;
}

// The directories whose tmux-<uid>/default sockets are default servers: /tmp and this environment's TMUX_TMPDIR.
function getDefaultBases(env: NodeJS.ProcessEnv): string[] {
  const bases = ['/tmp', ...(env.TMUX_TMPDIR ? [env.TMUX_TMPDIR] : [])].map((base) => canonicalize(resolve(base)));
  return [...new Set(bases)];
}

// A hard link (or a bind mount) to a default socket has another name but the same inode.
function isSameFileAsDefault(socket: string, bases: readonly string[]): boolean {
  const target = statQuietly(socket);
  if (!target) return false;
  for (const base of bases) {
    let names: string[] = [];
    try {
      names = readdirSync(base).filter((name) => /^tmux-\d+$/.test(name));
    } catch {
      continue;
    }
    for (const name of names) {
      const found = statQuietly(join(base, name, 'default'));
      if (found && found.dev === target.dev && found.ino === target.ino) return true;
    }
  }
  return false;
}

function statQuietly(path: string): { dev: number; ino: number } | undefined {
  try {
    const { dev, ino } = statSync(path);
    return { dev, ino };
  } catch {
    return undefined;
  }
}

// realpath of the path (links followed, the socket's own included), or of its nearest existing parent
// plus the rest; a dangling link is followed by hand (it names the default socket before that exists).
function canonicalize(path: string, hops = 0): string {
  try {
    return realpathSync(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    const real = join(canonicalize(parent, hops), basename(path));
    const link = readLinkQuietly(real);
    return link !== undefined && hops < 40 ? canonicalize(resolve(dirname(real), link), hops + 1) : real;
  }
}

function readLinkQuietly(path: string): string | undefined {
  try {
    return readlinkSync(path);
  } catch {
    return undefined;
  }
}
