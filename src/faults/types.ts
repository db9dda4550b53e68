// The fault contract: validate, guard, prepare (saved in the ledger), inject, verify, rollback.
import type { Static, TObject } from '@sinclair/typebox';
import type { Capability, Target } from '../targets/types.js';
import { narrowParams } from '../util/registry.js';

/** Params of a fault as written in a scenario: its type and its own fields. */
export type FaultSpec = { type: string; name?: string } & Record<string, unknown>;

/** JSON-serialisable state a fault needs to roll itself back, even from another process. */
export type FaultState = Record<string, unknown>;

/** What a fault will touch, for --dry-run and the ledger. */
export interface FaultPlan {
  /** One line per object touched ("kill tmux session tmux-orc on /tmp/…/tmux.sock"). */
  touches: string[];
  /** Guards checked and passed ("path under root /tmp/…"). */
  guards: string[];
}

/** Everything a fault may use. */
export interface FaultContext {
  target: Target;
  /** A private directory for this fault's backups (kept until rollback is verified). */
  stateDir: string;
}

/** Outcome of a rollback; `ok` only when the restoration was verified. */
export interface RollbackResult {
  ok: boolean;
  detail: string;
}

/**
 * A fault type as its file declares it. `params` is a TypeBox object schema whose `type` property is
 * the literal fault name. `plan` must throw GuardError before anything changes; `rollback` must be
 * idempotent and work from `state` alone (after a crash it runs in another process).
 */
export interface FaultDeclaration<T extends string = string, S extends TObject = TObject> {
  type: T;
  summary: string;
  /** Capabilities the target must have (validate refuses a scenario whose target lacks one); none = the core only. */
  needs?: readonly Capability[];
  /** Capabilities only some params need (a process selected by tmux pane needs tmux). */
  needsFor?(params: Static<S>): readonly Capability[];
  /** The fault that replaces this one: validate warns a scenario that still uses this name. */
  deprecatedBy?: string;
  /** Faults with host-dependent mechanisms (net.*): which one this host offers, or why none; validate refuses when none. */
  chooseMechanism?(): Promise<{ available: boolean; mechanism: string; refusal?: string }>;
  params: S;
  plan(params: Static<S>, context: FaultContext): Promise<FaultPlan>;
  /**
   * True when `plan` reads nothing live (only the params and the target's declared layout), so a plan
   * refused against a reference target that is not started yet is final; otherwise `faultline run`
   * plans it again on a throwaway instance before refusing it.
   */
  isPlanStatic?(params: Static<S>): boolean;
  /** Saves what rollback needs (before the ledger intent is written); must not change the target. */
  prepare(params: Static<S>, context: FaultContext): Promise<FaultState>;
  inject(params: Static<S>, context: FaultContext, state: FaultState): Promise<void>;
  /**
   * True when the fault keeps going in after inject returns (a composite's later steps): recovery is
   * then neither declared nor dated before verify resolves. Otherwise the fault is whole once inject
   * returns, and a target that repairs while verify still runs is dated by its own repair.
   */
  goesInAfterInject?: boolean;
  /** True when the fault is observably in effect. */
  verify(params: Static<S>, context: FaultContext, state: FaultState): Promise<boolean>;
  rollback(params: Static<S>, context: FaultContext, state: FaultState): Promise<RollbackResult>;
}

/** A registered fault: its declaration bound to its schema, so every method takes the params as they come (a scenario's, a ledger intent's) and narrows them once. */
export interface FaultDefinition<T extends string = string> {
  type: T;
  summary: string;
  needs?: readonly Capability[];
  needsFor?(params: unknown): readonly Capability[];
  deprecatedBy?: string;
  chooseMechanism?(): Promise<{ available: boolean; mechanism: string; refusal?: string }>;
  params: TObject;
  plan(params: unknown, context: FaultContext): Promise<FaultPlan>;
  isPlanStatic?(params: unknown): boolean;
  prepare(params: unknown, context: FaultContext): Promise<FaultState>;
  inject(params: unknown, context: FaultContext, state: FaultState): Promise<void>;
  goesInAfterInject?: boolean;
  verify(params: unknown, context: FaultContext, state: FaultState): Promise<boolean>;
  rollback(params: unknown, context: FaultContext, state: FaultState): Promise<RollbackResult>;
}

/** Declares a fault with its params type inferred from its schema, bound once to that schema. */
export function defineFault<T extends string, S extends TObject>(declaration: FaultDeclaration<T, S>): FaultDefinition<T> {
  const narrow = (params: unknown) => narrowParams<Static<S>>('type', declaration.type, params);
  const { needsFor, isPlanStatic } = declaration;
  return {
    type: declaration.type,
    summary: declaration.summary,
    ...(declaration.needs ? { needs: declaration.needs } : {}),
    ...(needsFor ? { needsFor: (params: unknown) => needsFor.call(declaration, narrow(params)) } : {}),
    ...(declaration.deprecatedBy ? { deprecatedBy: declaration.deprecatedBy } : {}),
    ...(declaration.chooseMechanism ? { chooseMechanism: declaration.chooseMechanism } : {}),
    // A getter: a schema built lazily (composite's lists the other faults) stays lazy.
    get params() {
      return declaration.params;
    },
    plan: async (params, context) => declaration.plan(narrow(params), context),
    ...(isPlanStatic ? { isPlanStatic: (params: unknown) => isPlanStatic.call(declaration, narrow(params)) } : {}),
    prepare: async (params, context) => declaration.prepare(narrow(params), context),
    inject: async (params, context, state) => declaration.inject(narrow(params), context, state),
    ...(declaration.goesInAfterInject ? { goesInAfterInject: true } : {}),
    verify: async (params, context, state) => declaration.verify(narrow(params), context, state),
    rollback: async (params, context, state) => declaration.rollback(narrow(params), context, state),
  };
}
