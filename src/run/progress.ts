// Progress events a runner emits, for the CLI (or any caller) to show as it likes.
import type { RunSummary, ScenarioSummary } from '../analyse/summary-schema.js';
import type { Scenario } from '../scenario/types.js';

/** Something worth telling the person watching a run. */
export type ProgressEvent =
  | { type: 'run.start'; runId: string; runDir: string; scenarios: number }
  | { type: 'target.up'; scenario: Scenario; description: string; ms: number; /** False for a target faultline opened but did not start. */ managed?: boolean }
  | { type: 'scenario.start'; scenario: Scenario; position: number; total: number }
  | { type: 'run.result'; scenario: Scenario; result: RunSummary }
  | { type: 'target.reset'; scenario: Scenario; reason: string }
  | { type: 'scenario.end'; summary: ScenarioSummary }
  | { type: 'run.phase'; scenario: Scenario; run: number; phase: RunPhase; limitMs?: number }
  | { type: 'interrupted'; signal: string };

/** Where a run is: waiting for the steady state, injecting, waiting for recovery (up to timeoutMs), rolling back. */
export type RunPhase = 'steady-state' | 'injecting' | 'recovering' | 'rolling-back';

/** Receives progress events; must not throw. */
export type ProgressListener = (event: ProgressEvent) => void;
