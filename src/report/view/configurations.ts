// Configurations side by side (guardrails on and off, healer on and off): for each scenario measured in
// more than one configuration among the runs reported together, the newest measurement of each — which
// recovered and how fast, which lost data and how much — so the difference a set-up makes is one row.
// Also the DR drills among them, each against its RTO and RPO targets.
import type { RunSummary, ScenarioSummary, Summary } from '../../analyse/summary-schema.js';
import { formatDuration } from '../format.js';

/** One scenario in one configuration: its newest measurement, as the section shows it. */
export interface ConfigurationCell {
  configuration: string;
  runId: string;
  verdict: string;
  recovered: string;
  rto: string;
  lost: string;
  rpo: string;
  tone: 'ok' | 'bad' | 'warn';
}

/** The newest summary of each (scenario, configuration), scenarios in the order they first appear. */
function collectNewest(history: readonly Summary[]): Map<string, Map<string, { summary: Summary; scenario: ScenarioSummary }>> {
  const byScenario = new Map<string, Map<string, { summary: Summary; scenario: ScenarioSummary }>>();
  const ordered = [...history].sort((a, b) => a.startedAt.localeCompare(b.startedAt));
  for (const summary of ordered) {
    for (const scenario of summary.scenarios) {
      const configurations = byScenario.get(scenario.id) ?? new Map();
      configurations.set(scenario.configuration ?? 'unnamed configuration', { summary, scenario });
      byScenario.set(scenario.id, configurations);
    }
  }
  return byScenario;
}

// The RPO of one run: the span of the lost writes' sends (from the first lost to the last lost).
function describeRpo(runs: readonly RunSummary[]): string {
  const windows = runs.flatMap((run) => (run.dataLoss?.window ? [run.dataLoss.window] : []));
  if (runs.every((run) => !run.dataLoss)) return 'not measured';
  if (windows.length === 0) return '0 (none lost)';
  const worst = Math.max(...windows.map((window) => window.toMs - window.fromMs));
  return `lost writes span ${formatDuration(worst)}`;
}

function buildCell(configuration: string, summary: Summary, scenario: ScenarioSummary): ConfigurationCell {
  const completed = scenario.runs.filter((run) => run.status === 'completed');
  const recovered = completed.filter((run) => run.recovered).length;
  const measured = completed.filter((run) => run.dataLoss);
  const lost = measured.reduce((sum, run) => sum + run.dataLoss!.lost, 0);
  const sent = measured.reduce((sum, run) => sum + run.dataLoss!.sent, 0);
  const rto = recovered === 0 ? 'not recovered' : `p50 ${formatDuration(scenario.stats.rtoMs?.p50)} · p95 ${formatDuration(scenario.stats.rtoMs?.p95)}${recovered < completed.length ? ` (${completed.length - recovered} not recovered)` : ''}`;
  return {
    configuration,
    runId: summary.runId,
    verdict: scenario.verdict,
    recovered: `${recovered}/${completed.length}`,
    rto,
    lost: measured.length === 0 ? 'not measured' : `${lost} of ${sent}`,
    rpo: describeRpo(completed),
    tone: lost > 0 || (completed.length > 0 && recovered < completed.length && scenario.verdict !== 'known-gap') ? 'bad' : scenario.verdict === 'pass' ? 'ok' : 'warn',
  };
}

/** The section: rows for scenarios measured in two or more configurations; absent when there are none. */
export function buildConfigurationsView(history: readonly Summary[]) {
  const rows = [...collectNewest(history)].filter(([, configurations]) => configurations.size > 1).map(([id, configurations]) => {
    const cells = [...configurations].sort(([a], [b]) => a.localeCompare(b)).map(([configuration, { summary, scenario }]) => buildCell(configuration, summary, scenario));
    const title = [...configurations.values()].at(-1)!.scenario.title;
    return { id, title, cells };
  });
  const drills = buildDrillRows(history);
  return rows.length > 0 || drills.length > 0 ? { rows, drills } : undefined;
}

/** The DR drills (fault db.dr-drill) of every configuration: RTO after the disaster and RPO against the drill's targets. */
export function buildDrillRows(history: readonly Summary[]) {
  return [...collectNewest(history)].flatMap(([id, configurations]) => [...configurations].sort(([a], [b]) => a.localeCompare(b)).flatMap(([configuration, { scenario }]) => {
    if (scenario.fault.type !== 'db.dr-drill') return [];
    const fault = scenario.fault as Record<string, unknown>;
    const disasterAfterMs = Number(fault.disasterAfterMs ?? 0);
    const rpoTargetMs = typeof fault.rpoTargetMs === 'number' ? fault.rpoTargetMs : undefined;
    const rtoTargetMs = scenario.expect.rtoMs;
    const completed = scenario.runs.filter((run) => run.status === 'completed');
    // RTO counts from t0; the disaster came disasterAfterMs later at the earliest, so this is never short.
    const rtos = completed.map((run) => (run.recovered && run.rtoMs !== null ? run.rtoMs - disasterAfterMs : null));
    // RPO: from the first lost acknowledged write to the disaster, which came after the last lost write was
    // acknowledged and no sooner than disasterAfterMs (0 when none was lost).
    const rpos = completed.map((run) => (!run.dataLoss ? null : run.dataLoss.window ? Math.max(disasterAfterMs, run.dataLoss.window.toMs) - run.dataLoss.window.fromMs : 0));
    const worstRto = rtos.some((value) => value === null) ? null : Math.max(...rtos.map(Number));
    const worstRpo = rpos.some((value) => value === null) || rpos.length === 0 ? null : Math.max(...rpos.map(Number));
    const rtoMet = worstRto !== null && rtoTargetMs !== undefined && worstRto < rtoTargetMs;
    const rpoMet = worstRpo !== null && rpoTargetMs !== undefined && worstRpo < rpoTargetMs;
    return [{
      id, title: scenario.title, configuration, runs: completed.length,
      rto: worstRto === null ? (completed.length === 0 ? 'no completed run' : 'not recovered') : formatDuration(worstRto),
      rtoTarget: rtoTargetMs === undefined ? '—' : `< ${formatDuration(rtoTargetMs)}`,
      rtoTone: rtoTargetMs === undefined ? 'warn' : rtoMet ? 'ok' : 'bad',
      rpo: worstRpo === null ? 'not measured' : formatDuration(worstRpo),
      rpoTarget: rpoTargetMs === undefined ? '—' : `< ${formatDuration(rpoTargetMs)}`,
      rpoTone: rpoTargetMs === undefined ? 'warn' : rpoMet ? 'ok' : 'bad',
      lost: completed.reduce((sum, run) => sum + (run.dataLoss?.lost ?? 0), 0),
    }];
  }));
}
