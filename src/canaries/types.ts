// The canary contract: one file per canary type. A canary sends sequenced items into the target
// (messages, appended lines, commands) and later collects the ones the target kept (RPO).
import type { Static, TObject } from '@sinclair/typebox';
import type { Capability, Target } from '../targets/types.js';

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
  /** Reads back what the target kept: the text in which delivered tokens are searched. */
  collect(): Promise<string>;
}

/** A canary type. `params` is a TypeBox object schema whose `type` property is the literal type name. */
export interface CanaryDefinition<S extends TObject = TObject> {
  type: string;
  summary: string;
  /** Capabilities the target must have (validate refuses a scenario whose target lacks one); none = the core only. */
  needs?: readonly Capability[];
  params: S;
  create(params: Static<S>, context: CanaryContext): Canary;
}

/** Declares a canary with its params type inferred from its schema. */
export function defineCanary<S extends TObject>(definition: CanaryDefinition<S>): CanaryDefinition<S> {
  return definition;
}
