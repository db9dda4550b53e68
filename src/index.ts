// faultline's public API: load and validate scenarios, run them, analyse and report. Never imports yargs.
export { loadScenarios } from './scenario/load.js';
export { validateScenarioFiles } from './scenario/load.js';
export type { Scenario, ProbeSpec, FaultSpec } from './scenario/types.js';
export { runScenarios, type RunOptions, type RunOutcome } from './run/run-scenarios.js';
export { recoverIntents } from './run/recover.js';
export { Ledger } from './run/ledger.js';
export type { ProgressEvent, ProgressListener } from './run/progress.js';
export { summarizeScenario } from './analyse/summarize.js';
export type { Summary, ScenarioSummary, RunSummary, ScenarioVerdict, VerdictCounts } from './analyse/summary-schema.js';
export { countVerdicts, formatVerdictCounts, formatVerdictBanner } from './analyse/verdict-counts.js';
export { writeReports } from './report/write-reports.js';
export { faultRegistry } from './faults/registry.js';
export { probeRegistry } from './probes/registry.js';
export type { FaultDefinition } from './faults/types.js';
export type { ProbeDefinition } from './probes/types.js';
export type { Target, TargetHandle } from './targets/types.js';
export * as fmea from './fmea/index.js';
export { FaultlineError, InputError, GuardError, AbortError, RollbackError, TargetError, ExitCode } from './errors.js';
