// The target model: what faults and probes may touch, whether faultline started it or not.
import type { TmuxResult, TmuxSocket } from './tmux.js';

/** A bounded area disk faults may fill: a tmpfs of the target's own, or a directory whose byte budget the target enforces. */
export interface DataAreaInfo {
  path: string;
  kind: 'tmpfs' | 'directory';
  sizeBytes: number;
}

/** A system under test, reachable through a tmux socket and a set of filesystem roots. */
export interface Target {
  /** Short name for reports. */
  readonly name: string;
  /** 'reference' = the bundled orchestrator; 'external' = described by a target file. */
  readonly kind: 'reference' | 'external';
  /** Base directory: relative paths in scenarios resolve against it. */
  readonly home: string;
  /** The target's tmux server. */
  readonly socket: TmuxSocket;
  /** Absolute directories faults may touch; nothing outside them is ever modified. */
  readonly roots: readonly string[];
  /** Environment of the target's processes (PATH included), used by probes that run commands. */
  readonly env: Readonly<Record<string, string>>;
  /** Bounded data areas (e.g. the reference's data/): the only places disk.fill may fill besides a tmpfs mounted under the roots. */
  readonly dataAreas?: readonly DataAreaInfo[];
  /** The target's own log of detections and repairs (JSONL with `t` epoch ms), when it has one. */
  readonly signalsPath?: string;
  /** Resolves a scenario path against `home`. */
  resolvePath(path: string): string;
  /** Runs tmux on the target's socket. */
  tmux(args: string[]): Promise<TmuxResult>;
  /** Facts for the report's environment section. */
  describe(): Record<string, unknown>;
}

/** What stopping a target left behind: callers keep the target's ledger intent unless `complete`. */
export interface TargetStopReport {
  /** True when nothing of the target still runs (always for targets faultline did not start). */
  complete: boolean;
  /** What still runs after stop, one line each; empty when complete. */
  left: string[];
  /** Everything stop has to tell (uids it refused to sweep, what survived), for the journal or the terminal. */
  notes: string[];
}

/** The report of a stop that had nothing to stop. */
export function createCompleteStopReport(): TargetStopReport {
  return { complete: true, left: [], notes: [] };
}

/** A target together with the lifecycle faultline owns for it. */
export interface TargetHandle {
  readonly target: Target;
  /** True when faultline started the target and must stop it. */
  readonly managed: boolean;
  /**
   * Brings a managed target back to a clean steady state (restart); absent for external targets.
   * Throws a TargetError (naming what is left, pointing at `faultline recover`) when the old instance cannot be stopped completely.
   */
  reset?(): Promise<TargetStopReport>;
  /** Stops a managed target (nothing to do for external ones); `complete: false` when something survived stop. */
  close(): Promise<TargetStopReport>;
}
