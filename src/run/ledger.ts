// The ledger: an intent is on disk (fsync'd) before any fault acts, and removed only once its
// rollback is verified, so `faultline recover` can undo whatever a crash or kill -9 left behind.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fsyncDirectory, writeFileAtomic } from '../util/files.js';
import { isPidAlive } from '../util/pid.js';
import { readLiveStartTicks } from '../util/proc-usage.js';
import type { FaultSpec, FaultState } from '../faults/types.js';
/**
 * How another process (`faultline recover`) finds a target again: the driver that opened it and what it
 * needs. A reference instance names its directory; a target file names the file.
 */
export type TargetDescriptor =
  | { driver: 'reference'; dir: string; /** faultline chose the dir: recover removes it even if start never got far. */ ownsDir?: boolean }
  | { driver: 'webstack'; dir: string; /** faultline chose the dir: recover removes it even if start never got far. */ ownsDir?: boolean }
  | { driver: 'external' | 'supervisord'; file: string; /** faultline ran the file's setup hook: recover runs its teardown. */ setUp?: boolean }
  | { driver: 'etcd'; dir: string; /** faultline chose the dir: recover removes it. */ ownsDir?: boolean };

/** A ledger descriptor in today's form; intents written before drivers named theirs `kind` (the driver registry re-exports this). */
export function normalizeDescriptor(descriptor: TargetDescriptor | { kind: string; dir?: string; file?: string; ownsDir?: boolean }): TargetDescriptor {
  if ('driver' in descriptor) return descriptor;
  const { kind, ...rest } = descriptor;
  return { driver: kind, ...rest } as TargetDescriptor;
}

/** An open intent: a fault in effect, or a target faultline started and must stop. */
export interface Intent {
  id: string;
  kind: 'fault' | 'target';
  createdAt: string;
  pid: number;
  runId: string;
  scenario?: string;
  target: TargetDescriptor;
  fault?: FaultSpec;
  state?: FaultState;
  /** The fault's private directory (backups); removed with the intent. */
  stateDir?: string;
  /** A file that names this target's directory (`target up`'s record): removed with the target when it names it. */
  recordFile?: string;
}

/** A ledger file that could not be read as an intent, moved aside so the others can be recovered. */
export interface QuarantinedFile {
  file: string;
  movedTo: string;
  reason: string;
}

/** Where faultline keeps its ledger: $FAULTLINE_STATE_DIR or ./.faultline. */
export function getStateDir(): string {
  return resolve(process.env.FAULTLINE_STATE_DIR ?? '.faultline');
}

// Written into every fault state directory before it gets its name: who may still be filling it.
const OWNER_FILE = '.faultline-owner.json';

/** The ledger directory of intents. */
export class Ledger {
  readonly dir: string;
  /** Where unreadable ledger files go (beside the ledger, never listed as intents). */
  readonly quarantineDir: string;
  readonly #onQuarantine: ((file: QuarantinedFile) => void) | undefined;

  constructor(stateDir: string = getStateDir(), options: { onQuarantine?: (file: QuarantinedFile) => void } = {}) {
    this.dir = join(stateDir, 'ledger');
    this.quarantineDir = join(stateDir, 'quarantine');
    this.#onQuarantine = options.onQuarantine;
  }

  /**
   * A fresh private directory for a fault's backups. It is made under a temporary name with its owner
   * (pid and start time) inside, then renamed: a `<id>.d` always says who made it, so `recover` can
   * remove one whose maker died before writing its intent.
   */
  createStateDir(id: string): string {
    const dir = join(this.dir, `${id}.d`);
    const temp = join(this.dir, `${id}.d.${process.pid}.tmp`);
    mkdirSync(temp, { recursive: true, mode: 0o700 });
    writeFileAtomic(join(temp, OWNER_FILE), `${JSON.stringify({ pid: process.pid, pidStart: readLiveStartTicks(process.pid, process.getuid?.() ?? 0) })}\n`);
    renameSync(temp, dir);
    fsyncDirectory(this.dir);
    return dir;
  }

  /** Writes an intent durably (temp file, fsync, rename, fsync of the directory): a reader never sees half of one. */
  open(intent: Intent): void {
    writeFileAtomic(join(this.dir, `${intent.id}.json`), `${JSON.stringify(intent, null, 2)}\n`);
  }

  /** Removes an intent (and its state directory) once its rollback is verified. */
  close(intent: Intent): void {
    rmSync(join(this.dir, `${intent.id}.json`), { force: true });
    if (intent.stateDir) rmSync(intent.stateDir, { recursive: true, force: true });
    fsyncDirectory(this.dir);
  }

  /** Every intent still open, oldest first; a file that is not one is quarantined (see readIntents) and skipped. */
  list(): Intent[] {
    return this.readIntents().intents;
  }

  /**
   * Every intent still open, oldest first, and the files moved to quarantineDir because they are not
   * intents (unparsable or mistyped): one bad file must not block recovering the others.
   */
  readIntents(): { intents: Intent[]; quarantined: QuarantinedFile[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    } catch {
      return { intents: [], quarantined: [] };
    }
    const intents: Intent[] = [];
    const quarantined: QuarantinedFile[] = [];
    const quarantine = (file: string, reason: string) => {
      const moved = this.#quarantine(file, reason);
      if (moved) quarantined.push(moved);
    };
    for (const name of names) {
      const file = join(this.dir, name);
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // Closed meanwhile.
        quarantine(file, `unreadable: ${(error as Error).message}`);
        continue;
      }
      const parsed = parseIntent(text);
      if (typeof parsed === 'string') quarantine(file, parsed);
      else intents.push(parsed);
    }
    return { intents: intents.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), quarantined };
  }

  /**
   * Removes what a process killed half-way through a ledger write left: temp files and unnamed state
   * directories of dead pids, and state directories with no intent whose maker is dead (killed after
   * creating it but before its intent was written: prepare changes nothing, so nothing in it is needed).
   * Returns the removed paths.
   */
  removeOrphans(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const temp = /\.(\d+)\.tmp$/.exec(name);
      // A state dir whose intent was quarantined holds the only backup of what that intent changed: kept.
      const orphan = temp ? !isPidAlive(Number(temp[1])) : name.endsWith('.d') && !names.includes(`${name.slice(0, -2)}.json`) && !this.#isQuarantined(name.slice(0, -2)) && !isOwnerAlive(path);
      if (!orphan) continue;
      rmSync(path, { recursive: true, force: true });
      removed.push(path);
    }
    if (removed.length > 0) fsyncDirectory(this.dir);
    return removed;
  }

  // A quarantined intent keeps its name after the timestamp prefix (see #quarantine).
  #isQuarantined(id: string): boolean {
    try {
      return readdirSync(this.quarantineDir).some((name) => name.endsWith(`-${id}.json`));
    } catch {
      return false;
    }
  }

  #quarantine(file: string, reason: string): QuarantinedFile | undefined {
    mkdirSync(this.quarantineDir, { recursive: true, mode: 0o700 });
    const movedTo = join(this.quarantineDir, `${new Date().toISOString().replace(/[:.]/g, '-')}-${file.slice(this.dir.length + 1)}`);
    try {
      renameSync(file, movedTo);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined; // Another reader moved it first.
      throw error;
    }
    fsyncDirectory(this.dir);
    const moved = { file, movedTo, reason };
    this.#onQuarantine?.(moved);
    return moved;
  }
}

/** "ledger file x.json is not a faultline intent (…); moved to …": what the CLI prints for a quarantined file. */
export function describeQuarantined(file: QuarantinedFile): string {
  return `ledger file ${file.file} is not a faultline intent (${file.reason}); moved to ${file.movedTo} — check by hand whether the fault it names is still in effect`;
}

// The intent, or why the text is not one.
function parseIntent(text: string): Intent | string {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return `not valid JSON: ${(error as Error).message}`;
  }
  const intent = value as Partial<Intent> | null;
  // Intents of the previous release name the driver `kind`: normalized, so recover still undoes them.
  const raw = intent?.target as { kind?: unknown } | undefined;
  if (typeof raw === 'object' && raw !== null && !('driver' in raw) && typeof raw.kind === 'string') intent!.target = normalizeDescriptor(raw as { kind: string });
  const target = intent?.target as Partial<{ driver: string; dir: unknown; file: unknown }> | undefined;
  const targetOk = typeof target === 'object' && target !== null && (((target.driver === 'reference' || target.driver === 'webstack' || target.driver === 'etcd') && typeof target.dir === 'string') || ((target.driver === 'external' || target.driver === 'supervisord') && typeof target.file === 'string'));
  if (typeof intent !== 'object' || intent === null || typeof intent.id !== 'string' || (intent.kind !== 'fault' && intent.kind !== 'target') || typeof intent.createdAt !== 'string' || !Number.isInteger(intent.pid) || !targetOk) {
    return 'missing or mistyped fields (id, kind, createdAt, pid, target)';
  }
  return intent as Intent;
}

// The maker of a state directory is alive (same pid and start time); a dir without an owner record
// comes from before owners were recorded, and is kept (its maker cannot be told apart).
function isOwnerAlive(dir: string): boolean {
  const ownerFile = join(dir, OWNER_FILE);
  if (!existsSync(ownerFile)) return true;
  try {
    const owner = JSON.parse(readFileSync(ownerFile, 'utf8')) as { pid: number; pidStart?: number };
    const started = readLiveStartTicks(owner.pid, process.getuid?.() ?? 0);
    return started !== undefined && (owner.pidStart === undefined || started === owner.pidStart);
  } catch {
    return false;
  }
}
