// target.json: what an instance is (socket, options, data area, launch details), for status, stop and the healer.
import { readFileSync } from 'node:fs';
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

/** Reads target.json; undefined when missing or unreadable (a crashed or half-started instance). */
export function readReferenceState(path: string): ReferenceState | undefined {
  try {
    const state = JSON.parse(readFileSync(path, 'utf8')) as ReferenceState;
    return state && state.kind === 'reference' && typeof state.dir === 'string' ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Writes target.json atomically, never through a link (the instance's uid owns the directory). */
export function writeReferenceState(path: string, state: ReferenceState): void {
  writeFileReplacing(path, `${JSON.stringify(state, null, 2)}\n`);
}
