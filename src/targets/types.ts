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

/** A target together with the lifecycle faultline owns for it. */
export interface TargetHandle {
  readonly target: Target;
  /** True when faultline started the target and must stop it. */
  readonly managed: boolean;
  /** Brings a managed target back to a clean steady state (restart); absent for external targets. */
  reset?(): Promise<void>;
  /** Stops a managed target (no-op for external ones); leaves nothing running or mounted. */
  close(): Promise<void>;
}
