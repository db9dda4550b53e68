// The probe contract: one file per probe type, joined to the registry by adding it there.
import type { Static, TObject } from '@sinclair/typebox';
import type { ProbeSources } from '../measure/sources/probe-sources.js';
import type { Trigger } from '../measure/sources/trigger.js';
import type { Capability, Target } from '../targets/types.js';
import { narrowParams } from '../util/registry.js';

/** What one check of a probe observed. */
export interface ProbeResult {
  ok: boolean;
  /** Short human text: what was seen ("session tmux-orc missing"). */
  detail?: string;
  /**
   * Monotonic ms at which the result will change with no event to announce it (a heartbeat file
   * turning stale): the sampler checks again exactly then.
   */
  recheckAt?: number;
  /**
   * When an event names the change behind this result (a notification for exactly this window), the
   * window it pins the change to (monotonic ms): used when the result differs from the previous one.
   */
  changedWithin?: { after: number; before: number };
  /**
   * The change behind this result may have happened as early as this (monotonic ms), whatever an
   * event says: the window of the change opens no later (when the result differs from the previous one).
   */
  mayHaveChangedFrom?: number;
}

/** What the sampler tells a check. */
export interface CheckOptions {
  /** Start of the previous check of this probe: only events since then can explain a change. */
  since?: number;
}

/** Everything a probe may use. */
export interface ProbeContext {
  target: Target;
  /** Event sources shared by the probes of one set (one tmux control client, one fs.watch per folder). */
  sources: ProbeSources;
}

/** A live probe instance: `check` is called on every sample. */
export interface Probe {
  check(options?: CheckOptions): Promise<ProbeResult>;
  /**
   * Event-driven probes: calls `onTrigger` whenever what the probe observes may have changed
   * (tmux notification, fs.watch event); returns the unsubscribe function. The sampler re-checks
   * at once on a trigger and polls on the probe's interval as a fallback.
   */
  watch?(onTrigger: (trigger: Trigger) => void): () => void;
  /**
   * The source's delivery bound (ms) when it announced every change this probe can see, without a
   * break, over all of [from, to] (monotonic ms; each defaults to now); otherwise null (a pane dying
   * is not announced; a folder not watched; a tmux control client not attached for part of the time).
   * A change seen with no event since the previous check then cannot be older than the start of this
   * check minus that delay, since its own event has not arrived yet; and a change seen after an event
   * cannot be older than that first event minus the delay.
   */
  getEventBound?(from?: number, to?: number): number | null;
  /** Polling interval this instance prefers over its definition's default (depends on its params). */
  defaultIntervalMs?: number;
  /** Releases watchers or control-mode clients. */
  close?(): Promise<void> | void;
}

/**
 * A probe type as its file declares it. `params` is a TypeBox object schema whose `probe` property is the literal
 * type name; it is also what `schemas/scenario.schema.json` shows editors.
 */
export interface ProbeDeclaration<T extends string = string, S extends TObject = TObject> {
  type: T;
  summary: string;
  /** Capabilities the target must have (validate refuses a scenario whose target lacks one); none = the core only. */
  needs?: readonly Capability[];
  params: S;
  /** Default polling interval. */
  defaultIntervalMs?: number;
  /**
   * Fallback polling interval while the probe's event source is active. Set it only when the
   * source announces every change the probe can see (tmux sessions and windows); leave it unset
   * when some changes come without an event (a dead pane), so the probe keeps its polling interval.
   */
  eventFallbackMs?: number;
  /**
   * Checks between params the schema cannot express (two fields that contradict each other), at
   * validate time: returns the offending field and what is wrong, or undefined.
   */
  checkParams?(params: Static<S>): { field: string; message: string } | undefined;
  create(params: Static<S>, context: ProbeContext): Probe;
}

/** A registered probe: its declaration bound to its schema, so `checkParams` and `create` take the params as they come and narrow them once. */
export interface ProbeDefinition<T extends string = string> extends Omit<ProbeDeclaration<T>, 'checkParams' | 'create'> {
  checkParams?(params: unknown): { field: string; message: string } | undefined;
  create(params: unknown, context: ProbeContext): Probe;
}

/** Declares a probe with its params type inferred from its schema, bound once to that schema. */
export function defineProbe<T extends string, S extends TObject>(declaration: ProbeDeclaration<T, S>): ProbeDefinition<T> {
  const narrow = (params: unknown) => narrowParams<Static<S>>('probe', declaration.type, params);
  const { checkParams, create, ...rest } = declaration;
  return {
    ...rest,
    ...(checkParams ? { checkParams: (params: unknown) => checkParams.call(declaration, narrow(params)) } : {}),
    create: (params, context) => create.call(declaration, narrow(params), context),
  };
}
