// Turns run summaries into the FMEA engine's evidence records, without a round trip through files.
import type { RunSummary, ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import type { EvidenceReport, EvidenceRun, EvidenceScenario } from '../fmea/index.js';
import { getTargetDetectedMs } from '../fmea/evidence/read-evidence.js';

/** The evidence a summary holds, as the engine's `readEvidenceReport` would read it from summary.json. */
export function toEvidenceReport(summary: Summary, file = `${summary.runId}/summary.json`): EvidenceReport {
  const fallback = `reference orchestrator, healer ${summary.options.heal ? 'on' : 'off'}`;
  return { file, runId: summary.runId, startedAt: summary.startedAt, scenarios: summary.scenarios.map((scenario) => toEvidenceScenario(scenario, fallback)) };
}

function toEvidenceScenario(scenario: ScenarioSummary, fallbackConfiguration: string): EvidenceScenario {
  const { ttdMs, rtoMs, dataLoss } = scenario.expect;
  return {
    id: scenario.id,
    title: scenario.title,
    fmea: scenario.fmea ? { ...scenario.fmea } : null,
    configuration: scenario.configuration ?? fallbackConfiguration,
    steadyStateProbes: scenario.steadyStateProbes,
    expect: { ...(ttdMs !== undefined ? { ttdMs } : {}), ...(rtoMs !== undefined ? { rtoMs } : {}), ...(dataLoss !== undefined ? { dataLoss } : {}) },
    runs: scenario.runs.map((run) => toEvidenceRun(run, scenario.steadyStateProbes)),
    stats: { ttdMs: scenario.stats.ttdMs, rtoMs: scenario.stats.rtoMs },
  };
}

function toEvidenceRun(run: RunSummary, steadyStateProbes: number): EvidenceRun {
  return {
    index: run.index,
    completed: run.status === 'completed',
    recovered: run.recovered,
    detected: run.detected,
    ttdMs: run.ttdMs,
    rtoMs: run.rtoMs,
    probesFailed: run.probesFailed,
    steadyStateProbes: run.steadyStateProbes ?? steadyStateProbes,
    lost: run.dataLoss ? run.dataLoss.lost : null,
    targetDetectedMs: getTargetDetectedMs(run),
  };
}
