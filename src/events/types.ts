// The one vocabulary of a run: every event the runner emits, as the journal stores it (one JSON object a
// line) and as every listener (terminal, dashboard, history, the summary fold) receives it.
import type { FmeaSummary, RunSummary, ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import type { FaultSpec } from '../faults/types.js';

/** Where a run is: waiting for the steady state, injecting, waiting for recovery (up to timeoutMs), rolling back. */
export type RunPhase = 'steady-state' | 'injecting' | 'recovering' | 'rolling-back';

/** The parts of a scenario's summary that do not come from its runs: known when it starts. */
export interface ScenarioHead {
  id: string;
  title: string;
  /** Relative to the working directory, as summary.json gives it. */
  file: string;
  fault: FaultSpec;
  steadyStateProbes: number;
  expect: ScenarioSummary['expect'];
  fmea: FmeaSummary | null;
  claims?: string[];
}

/** A game-day step as events name it. */
export interface StepInfo {
  index: number;
  kind: 'scenarios' | 'pause' | 'manual';
  name: string;
}

/** Each event type and its own data (besides `t` and `type`). */
export interface RunEventData {
  'run.start': {
    runId: string;
    runDir: string;
    faultline: string;
    scenarios: string[];
    options: Summary['options'];
    startedAt: string;
    environment: Summary['environment'];
    signOff?: Summary['signOff'];
    /** Runs in this run (for an ETA). */
    totalRuns?: number;
  };
  'target.up': { scenario: string; managed: boolean; ms: number; description: Record<string, unknown>; /** Shown in the terminal: name (home). */ label: string };
  'target.hook': { scenario: string } & Record<string, unknown>;
  'target.reset': { scenario: string; run?: number; reason: string; message: string };
  'scenario.start': { scenario: string; title: string; file: string; fault: FaultSpec; runs: number; timeoutMs: number; position: number; total: number; head: ScenarioHead };
  'run.phase': { scenario: string; run: number; phase: RunPhase; limitMs?: number };
  'steady-state': { scenario: string; run: number; ok: boolean; waitedMs: number; failing: unknown[] };
  'fault.plan': { scenario: string; fault: string } & Record<string, unknown>;
  'fault.inject': { scenario: string; run: number } & Record<string, unknown>;
  /** A steady-state probe changed state (probe, ok, atMs, fromMs, toMs, via, detail). */
  probe: { scenario: string; run: number } & Record<string, unknown>;
  /** The first probe failure after t0 (ttdMs, resolutionMs, by). */
  detect: { scenario: string; run: number } & Record<string, unknown>;
  recover: { scenario: string; run: number; rtoMs: number | null } & Record<string, unknown>;
  timeout: { scenario: string; run: number; timeoutMs: number; reason: string };
  'target.signal': { scenario: string; run: number } & Record<string, unknown>;
  'fault.rollback': { scenario: string; run: number; ok: boolean; detail: string };
  'run.result': { scenario: string; run: number } & RunSummary;
  'scenario.end': Pick<ScenarioSummary, 'verdict' | 'reasons' | 'stats' | 'checks'> & { scenario: string; configuration?: string };
  'target.down': { scenario: string; managed: boolean };
  note: { scenario?: string; run?: number; message: string; author?: string } & Record<string, unknown>;
  error: { scenario?: string; run?: number; message: string };
  interrupted: { signal: string };
  /** The run was halted: `faultline halt`, the dashboard, a stop condition, a manual step's timeout. */
  halt: { by: string; reason: string };
  'gameday.start': { plan: string; id: string; title: string; objective: string; hypotheses: { id: string; statement: string; scenarios: string[] }[]; steps: StepInfo[] };
  /** The plan started outside its allowed window: nothing ran (a scheduled start records this). */
  'gameday.skipped': { reason: string };
  'step.start': StepInfo & { scenarios?: string[]; instruction?: string; timeoutMs?: number; pauseMs?: number };
  'step.end': StepInfo & { outcome: 'done' | 'continued' | 'timed-out' | 'halted' | 'skipped'; by?: string };
  'stop-condition': { probe: string; ok: boolean; detail?: string };
  'run.end': { verdict: Summary['verdict']; exitCode: number; durationMs: number; finishedAt: string; loadAverageEnd: number[] };
}

/** An event type name. */
export type RunEventType = keyof RunEventData;

/** One event: its type, when (epoch ms with fractions, from the monotonic clock) and its data. */
export type RunEvent<K extends RunEventType = RunEventType> = K extends RunEventType ? { t: number; type: K } & RunEventData[K] : never;

/** Receives every event of a run in order; must not throw (a listener that throws is reported once and dropped). */
export interface RunEventListener {
  onEvent(event: RunEvent): void;
  /** Called once after run.end (or when the stream closes early): flush, close files. */
  close?(): void;
}
