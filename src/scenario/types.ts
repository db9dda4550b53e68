// Scenario types, derived from the schema; probe and fault params stay open records here
// because each one is checked against its own definition's schema.
import type { Expect, FmeaLink, TargetSignalSpec } from './schema.js';
import type { HostsSpec } from './hosts-schema.js';

/** Params of one probe as written in a scenario. */
export type ProbeSpec = { probe: string; name?: string; intervalMs?: number; events?: boolean } & Record<string, unknown>;

/** Params of one canary as written in a scenario. */
export type CanarySpec = { type: string; name?: string; count?: number; intervalMs?: number; settleMs?: number } & Record<string, unknown>;

/** Params of the fault as written in a scenario (defined with the fault contract, which must not import the scenario schema). */
export type { FaultSpec } from '../faults/types.js';
import type { FaultSpec } from '../faults/types.js';

/** A scenario with its defaults applied, and where it came from. */
export interface Scenario {
  id: string;
  title: string;
  description?: string;
  tags: string[];
  target: string;
  fmea?: FmeaLink;
  /** Ids of the claims (claims.yaml) the scenario tests. */
  claims?: string[];
  steadyState: ProbeSpec[];
  fault: FaultSpec;
  /** Absent when the scenario measures no data loss. */
  canaries?: CanarySpec[];
  /** The target's own detection and repair lines, matched in its logs. */
  targetSignals?: TargetSignalSpec[];
  expect: Expect;
  runs: number;
  timeoutMs: number;
  stabilizeMs: number;
  steadyStateWaitMs: number;
  sampleIntervalMs: number;
  /** Remote hosts to run on (a fleet scenario), in batches of `serial`, stopping after `maxFailures` failed hosts. */
  hosts?: HostsSpec;
  serial?: number | string;
  maxFailures?: number;
  /** The file it was loaded from (absolute) and its index when the file holds a list. */
  source: { file: string; index: number };
}

export type { Expect, FmeaLink, TargetSignalSpec };
