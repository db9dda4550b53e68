// The driver contract: how one family of targets is opened for a run and a plan, recorded in the
// ledger, found again by `faultline recover`, and which processes it vouches for.
import type { ProcInfo } from '../../faults/proc-table.js';
import type { Intent, Ledger, TargetDescriptor } from '../../run/ledger.js';
import type { Capability, Target, TargetHandle } from '../types.js';

export type { TargetDescriptor };

/** How targets are opened for a run. */
export interface TargetOpenOptions {
  heal: boolean;
  healDelayMs?: number;
  /** The web stack's guardrails (default on): off is the failure matrix's current system, on its proposed one. */
  guardrails?: boolean;
  /** Use this already-running reference instance (from `faultline target up`) instead of starting one. */
  targetDir?: string;
  /** Start the managed instance in this directory, which faultline chose and recorded (it is removed on close). */
  instanceDir?: string;
  /** Where lifecycle hooks' output goes (the run's journal). */
  log?: (event: TargetLogEvent) => void;
}

/** One line a target's lifecycle wants in the journal (a hook that ran, what it printed). */
export interface TargetLogEvent {
  hook: 'setup' | 'reset' | 'teardown';
  command: readonly string[];
  exitCode: number | null;
  ms: number;
  output: string;
  timedOut: boolean;
}

/** What a run records for a target its driver starts (so `faultline recover` stops it after a crash). */
export interface TargetRecord {
  ledger: Ledger;
  id: string;
  runId: string;
  scenario: string;
}

/** A target to plan against, and how a run would get it. */
export interface PlanTarget {
  target: Target;
  /** One line: what a run would start or use. */
  note: string;
  /** True for the placeholder: a plan that fails against it is retried on a throwaway instance. */
  placeholder: boolean;
}

/** What undoing a target's ledger intent did. */
export interface TargetRecovery {
  ok: boolean;
  detail: string;
}

/** A target driver: one file per driver under src/targets/drivers/, joined by the registry. */
export interface TargetDriver {
  name: TargetDescriptor['driver'];
  summary: string;
  /** Whether faultline starts (and must stop) targets of this driver: the reference orchestrator does, others are opened as they are. */
  starts: boolean;
  /**
   * A target bundled with faultline, named in scenarios by the driver's name (`target: webstack`) instead of a
   * file: its label and capabilities, known without starting it (validate compares needs with them).
   */
  bundled?: {
    label: string;
    capabilities: readonly Capability[];
    /** A plan refused on the placeholder may be retried on a throwaway instance of it (the planner starts only reference instances). */
    throwawayPlans?: boolean;
  };
  /**
   * Whether a pidfile a scenario names vouches for its pid (targets faultline did not start); the reference
   * target vouches for its processes through its own run/*.pid only.
   */
  trustsScenarioPidfiles: boolean;
  /** Opens the target a scenario names for a run. */
  open(file: string, options: TargetOpenOptions): Promise<TargetHandle>;
  /**
   * Opens it for a run, recording a target it starts in the ledger before it starts; returns the intent it
   * recorded (closed by the handle's close() once nothing of the target is left). Defaults to `open`.
   */
  openRecorded?(file: string, options: TargetOpenOptions, record: TargetRecord): Promise<{ handle: TargetHandle; intent?: Intent }>;
  /** Opens it for a plan, changing nothing. */
  openForPlan(file: string, options: { targetDir?: string }): Promise<PlanTarget>;
  /** Rebuilds the target from its descriptor, starting nothing (rollback after a crash). */
  openForRecovery(descriptor: TargetDescriptor): Promise<Target>;
  /** Undoes a target intent (stops what faultline started; runs a teardown hook). */
  recoverTarget(descriptor: TargetDescriptor): Promise<TargetRecovery>;
  /** How a run's ledger refers to this target. */
  describeForLedger(target: Target): TargetDescriptor;
  /** Pid → why: processes this driver vouches for beyond the tmux server, its panes and declared processes. */
  findOwnedProcesses?(target: Target, table: ReadonlyMap<number, ProcInfo>): Promise<Map<number, string>>;
  /**
   * The declared process that holds a role now (`role: leader` of process faults: the etcd member a
   * majority follows); GuardError when none does. Roles the driver knows are listed in `roles`.
   */
  findRoleProcess?(target: Target, role: string): Promise<string>;
  /** Fault types this driver's targets refuse, with why (validate and the fault's plan report it). */
  refusals?: Readonly<Record<string, string>>;
  /** The roles findRoleProcess answers for, for validation and messages. */
  roles?: readonly string[];
  /** One phrase for plans: which processes count as the target's under this driver. */
  describeOwnedProcesses?(target: Target): string;
}
