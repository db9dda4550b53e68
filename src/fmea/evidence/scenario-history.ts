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

/** The evidence of one configuration of one scenario: what a measured rating may be derived from (never pooled across them). */
export interface HistoryGroup {
  configuration: string;
  scenarioId: string;
  /** Newest first. */
  entries: HistoryEntry[];
}

/** Splits a history (newest first) by configuration and scenario, in the order each first appears. */
export function groupHistory(history: readonly HistoryEntry[]): HistoryGroup[] {
  const groups = new Map<string, HistoryGroup>();
  for (const entry of history) {
    const key = JSON.stringify([entry.scenario.configuration, entry.scenario.id]);
    const group = groups.get(key) ?? { configuration: entry.scenario.configuration, scenarioId: entry.scenario.id, entries: [] };
    group.entries.push(entry);
    groups.set(key, group);
  }
  return [...groups.values()];
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
