// A target instance owned by an unprivileged uid (from the reserved range 600000–699999) and a root-owned
// 0600 decoy outside it, so tests can act as the target — swap a file for a symlink, a hard link or a
// directory at any moment, via setpriv — and check that faultline, running as root, never touched the decoy.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, chownSync, linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createExternalTarget } from '../../src/targets/external.js';
import type { Target } from '../../src/targets/types.js';

/** How the target swaps a name: a symlink to the decoy, a hard link to it, or an (empty) directory. */
export type SwapKind = 'symlink' | 'hardlink' | 'directory';

/** What a decoy looks like: nothing of it may change. */
export interface DecoyState {
  sha256: string;
  mode: number;
  uid: number;
  gid: number;
  size: number;
}

/** A hostile instance: its dir, uid, a Target over it, and the decoy. */
export interface HostileInstance {
  base: string;
  dir: string;
  uid: number;
  target: Target;
  targetFile: string;
  decoy: string;
  /** Runs a command as the target's uid (setpriv, no supplementary groups). */
  runAsTarget(args: string[]): void;
  /** Replaces `relative` (under the instance) by a link to the decoy or a directory, as the target would. */
  swap(relative: string, kind: SwapKind): void;
  /** Moves the directory `relative` away and puts a symlink to the decoy's (root-only) directory in its place. */
  swapDirectory(relative: string): void;
  readDecoy(): DecoyState;
  /** Names in the decoy's directory (nothing may appear there). */
  listDecoyDir(): string[];
  dispose(): void;
}

/** True when setpriv exists and we are root (the tests need both). */
export function canRunHostile(): boolean {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync('setpriv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** A uid of the reserved range that no process uses now (the reference's uids are picked from the low end). */
function pickFreeUid(): number {
  const used = new Set<number>();
  for (const pid of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
      if (uid) used.add(Number(uid));
    } catch {
      // Gone.
    }
  }
  for (;;) {
    const uid = 690_000 + Math.floor(Math.random() * 9_999);
    if (!used.has(uid)) return uid;
  }
}

/** Creates the instance (config/orchestrator.conf 0640, logs/orchestrator.log without a final newline, tmp/) and the decoy. */
export function createHostileInstance(): HostileInstance {
  const uid = pickFreeUid();
  const base = mkdtempSync(join(tmpdir(), 'faultline-hostile-'));
  chmodSync(base, 0o711); // the uid must reach its instance
  const dir = join(base, 'inst');
  const decoyDir = join(base, 'root-only');
  mkdirSync(decoyDir, { mode: 0o700 });
  const decoy = join(decoyDir, 'shadow');
  writeFileSync(decoy, 'root:$6$secret:19000:0:99999:7:::\n', { mode: 0o600 });
  chmodSync(decoy, 0o600);
  mkdirSync(dir);
  for (const sub of ['config', 'logs', 'tmp']) mkdirSync(join(dir, sub));
  writeFileSync(join(dir, 'config', 'orchestrator.conf'), 'PROJECTS="alpha beta"\nCHECKIN_INTERVAL_MS=500\n', { mode: 0o640 });
  chmodSync(join(dir, 'config', 'orchestrator.conf'), 0o640);
  writeFileSync(join(dir, 'logs', 'orchestrator.log'), '2026-01-01T00:00:00Z started\n2026-01-01T00:00:01Z scheduler: sent (no newline)');
  for (const path of [dir, join(dir, 'config'), join(dir, 'logs'), join(dir, 'tmp'), join(dir, 'config', 'orchestrator.conf'), join(dir, 'logs', 'orchestrator.log')]) chownSync(path, uid, uid);
  const targetFile = join(base, 'target.yaml');
  writeFileSync(targetFile, `name: hostile\ntmux: { socketPath: ${join(base, 'tmux.sock')} }\nhome: ${dir}\nroots: [${dir}]\n`);
  const target = createExternalTarget({ name: 'hostile', tmux: { socketPath: join(base, 'tmux.sock') }, home: dir, roots: [dir] }, targetFile);
  const runAsTarget = (args: string[]) => {
    execFileSync('setpriv', ['--reuid', String(uid), '--regid', String(uid), '--clear-groups', '--', ...args], { stdio: 'pipe' });
  };
  return {
    base,
    dir,
    uid,
    target,
    targetFile,
    decoy,
    runAsTarget,
    swap(relative, kind) {
      const path = join(dir, relative);
      if (kind === 'symlink') runAsTarget(['sh', '-c', 'rm -rf -- "$1" && ln -s -- "$2" "$1"', 'sh', path, decoy]);
      if (kind === 'directory') runAsTarget(['sh', '-c', 'rm -rf -- "$1" && mkdir -- "$1"', 'sh', path]);
      if (kind === 'hardlink') {
        // The target removes its file; the hard link itself is made as root, standing in for a host with
        // fs.protected_hardlinks=0 (there the target could link the decoy itself).
        runAsTarget(['rm', '-rf', '--', path]);
        linkSync(decoy, path);
      }
    },
    swapDirectory(relative) {
      const path = join(dir, relative);
      runAsTarget(['sh', '-c', 'mv -- "$1" "$1.moved" && ln -s -- "$2" "$1"', 'sh', path, decoyDir]);
    },
    listDecoyDir() {
      return readdirSync(decoyDir).sort();
    },
    readDecoy() {
      const stats = statSync(decoy);
      return { sha256: createHash('sha256').update(readFileSync(decoy)).digest('hex'), mode: stats.mode & 0o7777, uid: stats.uid, gid: stats.gid, size: stats.size };
    },
    dispose() {
      rmSync(base, { recursive: true, force: true });
    },
  };
}
