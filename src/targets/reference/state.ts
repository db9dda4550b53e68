// target.json: what an instance is (socket, options, data area, launch details), for status, stop and the healer.
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { readRange } from '../../util/files.js';
import { writeFileReplacing } from '../../util/safe-fs.js';
import type { DataArea } from './mount.js';
import type { RunAs } from './run-as.js';

/** Options an instance was started with, after defaults. */
export interface ResolvedReferenceOptions {
  heal: boolean;
  healDelayMs: number;
  healIntervalMs: number;
  projects: string[];
  dataSizeMiB: number;
  checkinIntervalMs: number;
  logMaxBytes: number;
  tmpMaxFiles: number;
  processBudget: number;
  memoryBudgetMiB: number;
  runAsUid?: number;
}

/** Contents of `<dir>/target.json`. Current pids live in `<dir>/run/*.pid`; `pids` is the snapshot at start. */
export interface ReferenceState {
  version: 1;
  kind: 'reference';
  dir: string;
  socketPath: string;
  /** True when faultline created the directory (mkdtemp) and so removes it on stop. */
  ownsDir: boolean;
  createdBy: { pid: number; at: number };
  options: ResolvedReferenceOptions;
  nodePath: string;
  scripts: { agent: string; healthServer: string; scheduler: string; healer: string };
  /** Environment of the orchestrator's processes (the tmux server, scheduler, healer). */
  env: Record<string, string>;
  data?: DataArea;
  /** How the scheduler sends check-ins: through lib/tmux_utils.py when python3 worked at start, else tmux directly. */
  checkinVia?: 'python3' | 'tmux';
  /** Who the processes run as, and their budgets (absent in instances from before budgets existed). */
  runAs?: RunAs;
  pids: { tmuxServer?: number; scheduler?: number; healer?: number };
  /** Epoch ms when start began and when everything was steady. */
  startedAt: number;
  readyAt?: number;
}

// target.json is far smaller; the instance's uid can put anything there (a FIFO, a link to /dev/zero).
const MAX_STATE_BYTES = 1024 * 1024;

/**
 * Reads target.json; undefined when missing or unreadable (a crashed or half-started instance), and when
 * it is not a plain regular file of at most 1 MiB: root reads it in stop and recover, and a FIFO or a
 * link to /dev/zero planted by the instance's uid must neither block nor exhaust them.
 */
export function readReferenceState(path: string): ReferenceState | undefined {
  try {
    const state = JSON.parse(readStateText(path)) as ReferenceState;
    return state && state.kind === 'reference' && typeof state.dir === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Writes target.json atomically, never through a link (the instance's uid owns the directory). */
export function writeReferenceState(path: string, state: ReferenceState): void {
  writeFileReplacing(path, `${JSON.stringify(state, null, 2)}\n`);
}

function readStateText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile() || stats.size > MAX_STATE_BYTES) throw new Error(`${path} is not a regular file of at most ${MAX_STATE_BYTES} bytes`);
    return readRange(fd, 0, stats.size).toString('utf8');
  } finally {
    closeSync(fd);
  }
}
