// The ledger: an intent is on disk (fsync'd) before any fault acts, and removed only once its
// rollback is verified, so `faultline recover` can undo whatever a crash or kill -9 left behind.
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fsyncDirectory, writeFileAtomic } from '../util/files.js';
import type { FaultSpec, FaultState } from '../faults/types.js';
/**
 * How another process (`faultline recover`) finds a target again: the driver that opened it and what it
 * needs. A reference instance names its directory; a target file names the file.
 */
export type TargetDescriptor =
  | { driver: 'reference'; dir: string; /** faultline chose the dir: recover removes it even if start never got far. */ ownsDir?: boolean }
  | { driver: 'external' | 'supervisord'; file: string; /** faultline ran the file's setup hook: recover runs its teardown. */ setUp?: boolean };


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
}

/** Where faultline keeps its ledger: $FAULTLINE_STATE_DIR or ./.faultline. */
export function getStateDir(): string {
  return resolve(process.env.FAULTLINE_STATE_DIR ?? '.faultline');
}

/** The ledger directory of intents. */
export class Ledger {
  readonly dir: string;

  constructor(stateDir: string = getStateDir()) {
    this.dir = join(stateDir, 'ledger');
  }

  /** A fresh private directory for a fault's backups. */
  createStateDir(id: string): string {
    const dir = join(this.dir, `${id}.d`);
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  /** Writes an intent durably; returns when it is on disk. */
  open(intent: Intent): void {
    writeFileAtomic(join(this.dir, `${intent.id}.json`), `${JSON.stringify(intent, null, 2)}\n`);
  }

  /** Removes an intent (and its state directory) once its rollback is verified. */
  close(intent: Intent): void {
    rmSync(join(this.dir, `${intent.id}.json`), { force: true });
    if (intent.stateDir) rmSync(intent.stateDir, { recursive: true, force: true });
    fsyncDirectory(this.dir);
  }

  /** Every intent still open, oldest first. */
  list(): Intent[] {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    } catch {
      return [];
    }
    return names
      .map((name) => JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as Intent)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  }
}
