// The controller's record of which hosts may hold open intents: written (fsync'd) before a host is
// asked to run a fault, removed once that host's agent reports its ledger empty. `faultline recover`
// reads these to reach each host again and have its agent recover (or confirm) it.
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fsyncDirectory, writeFileAtomic } from '../util/files.js';

/** One host that may hold open intents. */
export interface FleetRecord {
  id: string;
  host: string;
  /** The argv that starts this host's agent (ssh …), as the run used it. */
  argv: string[];
  runId: string;
  scenario: string;
  createdAt: string;
  pid: number;
}

/** The fleet records of a state directory (beside its ledger). */
export class FleetRecords {
  readonly dir: string;

  constructor(stateDir: string) {
    this.dir = join(stateDir, 'fleet');
  }

  open(record: FleetRecord): void {
    writeFileAtomic(join(this.dir, `${record.id}.json`), `${JSON.stringify(record, null, 2)}\n`);
  }

  close(record: Pick<FleetRecord, 'id'>): void {
    rmSync(join(this.dir, `${record.id}.json`), { force: true });
    try {
      fsyncDirectory(this.dir);
    } catch {
      /* the directory is gone: nothing to make durable */
    }
  }

  /** Every record, oldest first; unreadable files are skipped (and named by `unreadable`). */
  list(): { records: FleetRecord[]; unreadable: string[] } {
    let names: string[];
    try {
      names = readdirSync(this.dir).filter((name) => name.endsWith('.json'));
    } catch {
      return { records: [], unreadable: [] };
    }
    const records: FleetRecord[] = [];
    const unreadable: string[] = [];
    for (const name of names) {
      try {
        const record = JSON.parse(readFileSync(join(this.dir, name), 'utf8')) as FleetRecord;
        if (typeof record.id !== 'string' || typeof record.host !== 'string' || !Array.isArray(record.argv) || !record.argv.every((arg) => typeof arg === 'string')) throw new Error('mistyped');
        records.push(record);
      } catch {
        unreadable.push(join(this.dir, name));
      }
    }
    return { records: records.sort((a, b) => a.createdAt.localeCompare(b.createdAt)), unreadable };
  }
}
