// The evidence about one failure mode: its scenario in every report, newest first.
import type { EvidenceReport, EvidenceRun, EvidenceScenario } from './read-evidence.js';

/** One report's record of the scenario that exercises a failure mode. */
export interface HistoryEntry {
  runId: string;
  startedAt: string | null;
  scenario: EvidenceScenario;
}

/** Reports (newest first) whose scenarios exercise the failure mode `fmeaId` (or the scenario `scenarioId`). */
export function getScenarioHistory(reports: readonly EvidenceReport[], fmeaId: string, scenarioId?: string): HistoryEntry[] {
  return reports
    .flatMap((report) => report.scenarios
      .filter((scenario) => scenario.fmea?.id === fmeaId || (scenarioId !== undefined && scenario.id === scenarioId))
      .map((scenario) => ({ runId: report.runId, startedAt: report.startedAt, scenario })))
    .sort((a, b) => (b.startedAt ?? '').localeCompare(a.startedAt ?? ''));
}

/** Completed runs only: an aborted run measured nothing. */
export function getCompletedRuns(scenario: EvidenceScenario): EvidenceRun[] {
  return scenario.runs.filter((run) => run.completed);
}

/** Age of evidence in days at `now`; null when the report has no start time. */
export function getEvidenceAgeDays(startedAt: string | null, now: Date): number | null {
  if (!startedAt) return null;
  const time = Date.parse(startedAt);
  return Number.isNaN(time) ? null : (now.getTime() - time) / 86_400_000;
}
