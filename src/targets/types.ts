// The target model: a core every target has (name, home, roots, env, its declared processes, hooks)
// plus optional capabilities (a tmux server, a process supervisor) that faults and probes declare they need.
import type { TmuxResult, TmuxSocket } from './tmux.js';

/** What a target may offer beyond its core; faults and probes name the ones they need (`needs`). */
export type Capability = 'tmux' | 'supervisor' | 'services';

/** Every capability, for messages and schemas. */
export const CAPABILITIES: readonly Capability[] = ['tmux', 'supervisor', 'services'];

/** What a network service speaks, so probes, canaries and faults know how to reach it. */
export type ServiceKind = 'postgres' | 'redis' | 'http' | 'tcp' | 'etcd';

/**
 * A network service the target runs or depends on (its database, its cache, its API): the `services`
 * capability. Faults and probes name it (`service: postgres`) instead of repeating addresses.
 */
export interface ServiceEndpoint {
  /** Name in scenarios and messages ("postgres", "redis", "api"). */
  name: string;
  kind: ServiceKind;
  /** Address it listens on: loopback, or an address inside a network namespace the target owns. */
  host: string;
  port: number;
  /** The network namespace it listens in (`ip netns` name), when not the host's. */
  namespace?: string;
  /** postgres: database, user and password faultline's probes and canaries connect with. */
  database?: string;
  user?: string;
  password?: string;
  /** postgres: the private unix-socket directory, when it has one. */
  socketDir?: string;
  /** The declared process (`processes[].name`) that serves it, for process faults. */
  process?: string;
}

/**
 * One process the target declares as its own, so process faults can select daemons that no tmux pane
 * or supervisor parents (a `nohup … &` scheduler reparented to init). Exactly one of pidfile, matches, program.
 */
export interface DeclaredProcess {
  /** Name in plans and messages. */
  name: string;
  /** A pidfile (absolute) holding the process's pid. */
  pidfile?: string;
  /** A regular expression matched against command lines (argv joined by spaces). */
  matches?: string;
  /** With `matches`: only processes of this user (name or uid). */
  user?: string;
  /** A program of the target's supervisor. */
  program?: string;
}

/** A command a target runs at a point of its lifecycle: an argument array, bounded in time. */
export interface TargetHook {
  command: readonly string[];
  timeoutMs: number;
}

/** When the reset hook runs: before every scenario, only after one that left the steady state failing, or never. */
export type ResetPolicy = 'always' | 'on-failure' | 'never';

/** Lifecycle hooks of a target faultline did not start (setup before its first scenario, teardown after its last). */
export interface TargetHooks {
  setup?: TargetHook;
  reset?: TargetHook & { when: ResetPolicy };
  teardown?: TargetHook;
}

/** A supervised program as its supervisor reports it. */
export interface SupervisedProgram {
  name: string;
  /** RUNNING, STARTING, BACKOFF, STOPPED, EXITED, FATAL, STOPPING, UNKNOWN. */
  state: string;
  /** The program's pid while it runs, else undefined. */
  pid?: number;
  /** The supervisor's own description ("pid 123, uptime 0:00:05", "Exited too quickly"). */
  description: string;
}

/** The `supervisor` capability: a process supervisor the target runs its programs under. */
export interface SupervisorControl {
  /** One line for plans: which supervisor, reached how. */
  describe(): string;
  /** The supervisor's own pid, when it runs. */
  getPid(): Promise<number | undefined>;
  /** Every program and its state; throws TargetError when the supervisor does not answer. */
  listPrograms(): Promise<SupervisedProgram[]>;
  /** Asks the supervisor to stop / start a program; resolves once it answered. */
  stopProgram(name: string): Promise<void>;
  startProgram(name: string): Promise<void>;
  /** The supervisor's log, read as the target's own signals, when known. */
  readonly logPath?: string;
}

/** A bounded area disk faults may fill: a tmpfs of the target's own, or a directory whose byte budget the target enforces. */
export interface DataAreaInfo {
  path: string;
  kind: 'tmpfs' | 'directory';
  sizeBytes: number;
}

/** A system under test: its core (home, roots, env, declared processes) and the capabilities its driver gives it. */
export interface Target {
  /** Short name for reports. */
  readonly name: string;
  /** The driver that opened it (src/targets/drivers/): 'reference', 'external', 'supervisord', 'webstack'. */
  readonly driver: string;
  /** What it offers beyond the core; faults and probes that need another capability are refused by validate. */
  readonly capabilities: readonly Capability[];
  /** Base directory: relative paths in scenarios resolve against it. */
  readonly home: string;
  /** The target's tmux server; present exactly when it has the `tmux` capability. */
  readonly socket?: TmuxSocket;
  /** The process supervisor; present exactly when it has the `supervisor` capability. */
  readonly supervisor?: SupervisorControl;
  /** Network services it runs or depends on; present (non-empty) exactly when it has the `services` capability. */
  readonly services?: readonly ServiceEndpoint[];
  /** Processes the target declares as its own (beyond its tmux server's and supervisor's). */
  readonly processes?: readonly DeclaredProcess[];
  /** Absolute directories faults may touch; nothing outside them is ever modified. */
  readonly roots: readonly string[];
  /** Environment of the target's processes (PATH included), used by probes that run commands. */
  readonly env: Readonly<Record<string, string>>;
  /** The unprivileged identity the target's processes run as, when it has one: commands faultline runs for it (probes, canaries) run as it too. */
  readonly runAs?: { readonly uid: number; readonly gid: number };
  /** Bounded data areas (e.g. the reference's data/): the only places disk.fill may fill besides a tmpfs mounted under the roots. */
  readonly dataAreas?: readonly DataAreaInfo[];
  /** The target's own log of detections and repairs (JSONL with `t` epoch ms), when it has one. */
  readonly signalsPath?: string;
  /** Resolves a scenario path against `home`. */
  resolvePath(path: string): string;
  /** Runs tmux on the target's socket; throws CapabilityError on a target without tmux (validate refuses such scenarios first). */
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
  /** When the runner calls reset: after a run or scenario that left the steady state failing (default), or before every one. */
  readonly resetWhen?: Exclude<ResetPolicy, 'never'>;
  /** Stops a managed target (nothing to do for external ones); `complete: false` when something survived stop. */
  close(): Promise<TargetStopReport>;
}

/** True when the target offers the capability. */
export function hasCapability(target: Pick<Target, 'capabilities'>, capability: Capability): boolean {
  return target.capabilities.includes(capability);
}
