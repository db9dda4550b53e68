// The canary contract: one file per canary type. A canary sends sequenced items into the target
// (messages, appended lines, commands) and later collects the ones the target kept (RPO).
import type { Static, TObject } from '@sinclair/typebox';
import type { Capability, Target } from '../targets/types.js';
import { narrowParams } from '../util/registry.js';

/** When an item was sent, relative to the fault. */
export type CanaryPhase = 'before' | 'during' | 'after';

/** Whether the target took an item (tmux accepted the keys, the append succeeded, the command exited 0). */
export interface SendResult {
  accepted: boolean;
  detail?: string;
}

/** Everything a canary may use. */
export interface CanaryContext {
  target: Target;
}

/** A live canary for one run. */
export interface Canary {
  /** Sends one item; `token` is unique to this run, canary and sequence number and must reach the target verbatim. */
  send(token: string): Promise<SendResult>;
  /**
   * Reads back what the target kept: the text in which delivered tokens are searched. '' when the
   * store is provably empty or gone (every item lost); throws when it cannot be read: the run's data
   * loss is then unknown, never "everything lost" (a run that recovered becomes an error).
   */
  collect(): Promise<string>;
}

/** A canary type as its file declares it. `params` is a TypeBox object schema whose `type` property is the literal type name. */
export interface CanaryDeclaration<T extends string = string, S extends TObject = TObject> {
  type: T;
  summary: string;
  /** Capabilities the target must have (validate refuses a scenario whose target lacks one); none = the core only. */
  needs?: readonly Capability[];
  params: S;
  create(params: Static<S>, context: CanaryContext): Canary;
}

/** A registered canary: its declaration bound to its schema, so `create` takes the params as they come and narrows them once. */
export interface CanaryDefinition<T extends string = string> extends Omit<CanaryDeclaration<T>, 'create'> {
  create(params: unknown, context: CanaryContext): Canary;
}

/** Declares a canary with its params type inferred from its schema, bound once to that schema. */
export function defineCanary<T extends string, S extends TObject>(declaration: CanaryDeclaration<T, S>): CanaryDefinition<T> {
  const { create, ...rest } = declaration;
  return { ...rest, create: (params, context) => create.call(declaration, narrowParams<Static<S>>('type', declaration.type, params), context) };
}
