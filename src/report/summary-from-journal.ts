// Rebuilds a run summary from its journal alone (a run killed before it wrote summary.json).
import { basename } from 'node:path';
import type { RunSummary, ScenarioSummary, ScenarioVerdict, Summary, TargetSignal } from '../analyse/summary-schema.js';
import { countVerdicts } from '../analyse/verdict-counts.js';
import type { JournalEvent } from '../journal/events.js';
import { summarizeFigures } from '../measure/stats.js';

const RUN_VERDICTS = ['pass', 'fail', 'aborted', 'rollback-failed'];
const SCENARIO_VERDICTS: readonly string[] = ['pass', 'fail', 'known-gap', 'skipped', 'aborted', 'error'] satisfies ScenarioVerdict[];

// Journal fields that are bookkeeping, not part of a run's record.
function stripEventFields<T extends object>(event: JournalEvent): T {
  const { t: _t, type: _type, scenario: _scenario, run: _run, ...rest } = event;
  return rest as T;
}

/** The summary the journal supports: runs, stats and checks as they were logged; no FMEA rows or expectations (the journal does not carry them). */
export function rebuildSummaryFromJournal(events: readonly JournalEvent[], runDir: string): Summary {
  const start = events.find((event) => event.type === 'run.start');
  const end = events.find((event) => event.type === 'run.end');
  const scenarios = new Map<string, ScenarioSummary>();
  const signals = new Map<string, TargetSignal[]>();
  const targets: Record<string, unknown>[] = [];
  for (const event of events) {
    const id = event.scenario;
    if (event.type === 'target.up') targets.push(stripEventFields(event));
    if (!id) continue;
    if (event.type === 'scenario.start') scenarios.set(id, createScenario(event, id));
    const scenario = scenarios.get(id);
    if (!scenario) continue;
    if (event.type === 'target.signal') {
      const key = `${id}#${event.run}`;
      signals.set(key, [...(signals.get(key) ?? []), { t: Number(event.t), ...stripEventFields<Omit<TargetSignal, 't'>>(event) }]);
    }
    if (event.type === 'run.result') scenario.runs.push({ ...stripEventFields<RunSummary>(event), targetSignals: signals.get(`${id}#${event.run}`) ?? [] });
    if (event.type === 'scenario.end') {
      if (typeof event.verdict === 'string' && SCENARIO_VERDICTS.includes(event.verdict)) scenario.verdict = event.verdict as ScenarioSummary['verdict'];
      if (Array.isArray(event.checks)) scenario.checks = event.checks as ScenarioSummary['checks'];
      if (typeof event.configuration === 'string') scenario.configuration = event.configuration;
      if (Array.isArray(event.reasons)) scenario.reasons = event.reasons.filter((reason): reason is string => typeof reason === 'string');
    }
  }
  for (const scenario of scenarios.values()) completeScenario(scenario);
  const startedAt = new Date(start?.t ?? events[0]?.t ?? 0);
  const finishedAt = new Date(end?.t ?? events.at(-1)?.t ?? startedAt.getTime());
  const options = (start?.options ?? {}) as Partial<Summary['options']>;
  const verdict = typeof end?.verdict === 'string' && RUN_VERDICTS.includes(end.verdict) ? end.verdict as Summary['verdict'] : 'aborted';
  return {
    schemaVersion: 1,
    runId: typeof start?.runId === 'string' ? start.runId : basename(runDir),
    verdict,
    exitCode: typeof end?.exitCode === 'number' ? end.exitCode : 3,
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: typeof end?.durationMs === 'number' ? end.durationMs : finishedAt.getTime() - startedAt.getTime(),
    options: { heal: options.heal ?? true, gate: options.gate ?? false, ...(typeof options.healDelayMs === 'number' ? { healDelayMs: options.healDelayMs } : {}), ...(typeof options.guardrails === 'boolean' ? { guardrails: options.guardrails } : {}) },
    environment: { faultline: typeof start?.faultline === 'string' ? start.faultline : 'unknown', node: 'unknown', host: 'unknown (rebuilt from the journal)', platform: 'unknown' },
    targets,
    counts: countVerdicts([...scenarios.values()]),
    scenarios: [...scenarios.values()],
  };
}

/** A summary.json written before verdict counts and reasons existed, completed so every output can rely on them. */
export function fillVerdictFields(summary: Summary): Summary {
  for (const scenario of summary.scenarios) if (!Array.isArray(scenario.reasons)) scenario.reasons = [];
  if (!summary.counts) summary.counts = countVerdicts(summary.scenarios);
  return summary;
}

function createScenario(event: JournalEvent, id: string): ScenarioSummary {
  const fault = typeof event.fault === 'object' && event.fault !== null ? event.fault as ScenarioSummary['fault'] : { type: 'unknown' };
  return {
    id, title: typeof event.title === 'string' ? event.title : id, file: typeof event.file === 'string' ? event.file : '',
    verdict: 'aborted', reasons: [], fault, resolutionMs: 0, steadyStateProbes: 0, expect: {}, checks: [], fmea: null, runs: [],
    stats: { ttdMs: null, rtoMs: null, recovered: 0, completed: 0 },
  };
}

// Stats from the runs (the scenario.end event may be missing when the run was killed).
function completeScenario(scenario: ScenarioSummary): void {
  const completed = scenario.runs.filter((run) => run.status === 'completed');
  scenario.stats = {
    ttdMs: summarizeFigures(completed.map((run) => run.ttdMs)),
    rtoMs: summarizeFigures(completed.map((run) => run.rtoMs)),
    recovered: completed.filter((run) => run.recovered).length,
    completed: completed.length,
  };
  scenario.resolutionMs = Math.max(0, ...completed.map((run) => run.resolutionMs ?? 0));
  scenario.steadyStateProbes = Math.max(0, ...scenario.runs.map((run) => run.steadyStateProbes ?? 0));
}
