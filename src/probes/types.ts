// The probe contract: one file per probe type, joined to the registry by adding it there.
import type { Static, TObject } from '@sinclair/typebox';
import type { Target } from '../targets/types.js';

/** What one check of a probe observed. */
export interface ProbeResult {
  ok: boolean;
  /** Short human text: what was seen ("session tmux-orc missing"). */
  detail?: string;
}

/** Everything a probe may use. */
export interface ProbeContext {
  target: Target;
}

/** A live probe instance: `check` is called on every sample. */
export interface Probe {
  check(): Promise<ProbeResult>;
  /** Releases watchers or control-mode clients. */
  close?(): Promise<void> | void;
}

/**
 * A probe type. `params` is a TypeBox object schema whose `probe` property is the literal
 * type name; it is also what `schemas/scenario.schema.json` shows editors.
 */
export interface ProbeDefinition<S extends TObject = TObject> {
  type: string;
  summary: string;
  params: S;
  /** Default sampling interval for polled probes. */
  defaultIntervalMs?: number;
  create(params: Static<S>, context: ProbeContext): Probe;
}

/** Declares a probe with its params type inferred from its schema. */
export function defineProbe<S extends TObject>(definition: ProbeDefinition<S>): ProbeDefinition<S> {
  return definition;
}
