// Indexes one run folder into the history store: the run, its scenarios, every measured run of each,
// its configuration and its notes. Re-indexing a folder replaces what the store held for it.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { describeConfiguration, getBaselineConfiguration } from '../analyse/configuration.js';
import type { JournalEvent } from '../journal/events.js';
import { getTargetDetectedMs } from '../fmea/evidence/read-evidence.js';
import { readRunDir } from '../report/read-run-dir.js';
import type { HistoryDb } from './open-history.js';
import { readSkippedRun, type SkippedRun } from './skipped-run.js';

/** What a folder was indexed as. */
export interface IndexedRun {
  runId: string;
  kind: 'run' | 'gameday' | 'skipped';
  scenarios: number;
  notes: string[];
}

/** Reads reports/<run-id>/ (summary.json, else its journal, else skipped.json) and writes it to the store. */
export async function indexRunDir(db: HistoryDb, dir: string): Promise<IndexedRun> {
  const folder = resolve(dir);
  const skipped = readSkippedRun(folder);
  if (skipped && !existsSync(join(folder, 'summary.json')) && !existsSync(join(folder, 'journal.jsonl'))) {
    writeSkipped(db, folder, skipped);
    return { runId: skipped.runId, kind: 'skipped', scenarios: 0, notes: [] };
  }
  const contents = await readRunDir(folder);
  const rebuilt = !existsSync(join(folder, 'summary.json'));
  const kind = writeSummary(db, folder, contents.summary, contents.journal, rebuilt);
  return { runId: contents.summary.runId, kind, scenarios: contents.summary.scenarios.length, notes: contents.notes };
}

/** Writes a summary (and its journal's notes) in one transaction; returns whether it was a game day. */
export function writeSummary(db: HistoryDb, dir: string, summary: Summary, journal: readonly JournalEvent[], rebuiltFromJournal = false): IndexedRun['kind'] {
  const plan = readPlanMarker(journal, dir);
  // A game day started outside its allowed window ran nothing: it is a skipped run, with the reason.
  const skipped = journal.find((event) => event.type === 'gameday.skipped');
  const kind = skipped ? 'skipped' : plan ? 'gameday' : 'run';
  db.transaction(() => {
    db.prepare('DELETE FROM runs WHERE run_id = ?').run(summary.runId);
    db.prepare(`INSERT INTO runs (run_id, kind, dir, title, plan, started_at, finished_at, duration_ms, verdict, exit_code, heal, heal_delay_ms, gate, host, faultline, targets, reason, rebuilt_from_journal, indexed_at)
      VALUES (@runId, @kind, @dir, @title, @plan, @startedAt, @finishedAt, @durationMs, @verdict, @exitCode, @heal, @healDelayMs, @gate, @host, @faultline, @targets, @reason, @rebuilt, @indexedAt)`).run({
      runId: summary.runId, kind, dir, title: plan?.title ?? null, plan: plan?.file ?? null,
      startedAt: summary.startedAt, finishedAt: summary.finishedAt ?? null, durationMs: summary.durationMs ?? null,
      verdict: skipped ? 'skipped' : summary.verdict, reason: typeof skipped?.reason === 'string' ? skipped.reason : null, exitCode: summary.exitCode ?? null,
      heal: bool(summary.options?.heal), healDelayMs: summary.options?.healDelayMs ?? null, gate: bool(summary.options?.gate),
      host: summary.environment?.host ?? null, faultline: summary.environment?.faultline ?? null,
      targets: JSON.stringify(summary.targets ?? []), rebuilt: rebuiltFromJournal ? 1 : 0, indexedAt: new Date().toISOString(),
    });
    const fallback = getFallbackConfiguration(summary);
    summary.scenarios.forEach((scenario, position) => writeScenario(db, summary.runId, scenario, position, fallback));
    writeNotes(db, summary.runId, journal);
  })();
  return kind;
}

function writeScenario(db: HistoryDb, runId: string, scenario: ScenarioSummary, position: number, fallbackConfiguration: string): void {
  const lost = scenario.stats.dataLoss?.lost ?? (scenario.runs.some((run) => run.dataLoss) ? scenario.runs.reduce((sum, run) => sum + (run.dataLoss?.lost ?? 0), 0) : null);
  const configuration = scenario.configuration ?? fallbackConfiguration;
  db.prepare(`INSERT INTO scenarios (run_id, scenario_id, position, title, configuration, baseline_configuration, verdict, fault_type, fmea_id, severity, expect_recovered, expect_ttd_ms, expect_rto_ms, expect_data_loss, steady_state_probes, completed, recovered, ttd_p50, ttd_p95, ttd_max, rto_p50, rto_p95, rto_max, data_lost)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
    runId, scenario.id, position, scenario.title ?? null, configuration, getBaselineConfiguration(configuration), scenario.verdict,
    scenario.fault?.type ?? null, scenario.fmea?.id ?? null, scenario.fmea?.severity ?? null,
    bool(scenario.expect?.recovered), scenario.expect?.ttdMs ?? null, scenario.expect?.rtoMs ?? null, scenario.expect?.dataLoss ?? null,
    scenario.steadyStateProbes ?? null,
    scenario.stats.completed ?? scenario.runs.filter((run) => run.status === 'completed').length,
    scenario.stats.recovered ?? scenario.runs.filter((run) => run.recovered).length,
    scenario.stats.ttdMs?.p50 ?? null, scenario.stats.ttdMs?.p95 ?? null, scenario.stats.ttdMs?.max ?? null,
    scenario.stats.rtoMs?.p50 ?? null, scenario.stats.rtoMs?.p95 ?? null, scenario.stats.rtoMs?.max ?? null,
    lost,
  );
  const insertRun = db.prepare(`INSERT INTO scenario_runs (run_id, scenario_id, idx, status, recovered, detected, ttd_ms, rto_ms, resolution_ms, probes_failed, steady_state_probes, data_lost, target_detected_ms)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
  scenario.runs.forEach((run, index) => insertRun.run(
    runId, scenario.id, run.index ?? index + 1, run.status ?? 'completed', run.recovered ? 1 : 0, run.detected ? 1 : 0,
    run.ttdMs ?? null, run.rtoMs ?? null, run.resolutionMs ?? null, run.probesFailed ?? null,
    run.steadyStateProbes ?? scenario.steadyStateProbes ?? null, run.dataLoss?.lost ?? null, getTargetDetectedMs(run),
  ));
}

// Notes of the journal (the runner's own, the facilitator's `faultline note`), in journal order.
function writeNotes(db: HistoryDb, runId: string, journal: readonly JournalEvent[]): void {
  const insert = db.prepare('INSERT INTO notes (run_id, seq, at, scenario_id, author, message) VALUES (?, ?, ?, ?, ?, ?)');
  let seq = 0;
  for (const event of journal) {
    if (event.type !== 'note') continue;
    const message = typeof event.message === 'string' ? event.message : typeof event.text === 'string' ? event.text : undefined;
    if (!message) continue;
    seq += 1;
    insert.run(runId, seq, Number.isFinite(event.t) ? event.t : null, event.scenario ?? null, typeof event.author === 'string' ? event.author : null, message);
  }
}

function writeSkipped(db: HistoryDb, dir: string, skipped: SkippedRun): void {
  db.transaction(() => {
    db.prepare('DELETE FROM runs WHERE run_id = ?').run(skipped.runId);
    db.prepare(`INSERT INTO runs (run_id, kind, dir, title, plan, started_at, verdict, reason, indexed_at) VALUES (?, 'skipped', ?, ?, ?, ?, 'skipped', ?, ?)`)
      .run(skipped.runId, dir, skipped.title ?? null, skipped.plan, skipped.at, skipped.reason, new Date().toISOString());
  })();
}

// A game day's journal opens with gameday.start (its plan and title); its folder also holds gameday.json.
function readPlanMarker(journal: readonly JournalEvent[], dir: string): { file: string | null; title: string | null } | undefined {
  const start = journal.find((event) => event.type === 'gameday.start');
  if (start) return { file: typeof start.plan === 'string' ? start.plan : null, title: typeof start.title === 'string' ? start.title : null };
  const reportFile = join(dir, 'gameday.json');
  if (!existsSync(reportFile)) return undefined;
  try {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { plan?: { title?: unknown; file?: unknown } };
    return { file: typeof report.plan?.file === 'string' ? report.plan.file : null, title: typeof report.plan?.title === 'string' ? report.plan.title : null };
  } catch {
    return { file: null, title: null };
  }
}

// A summary from before scenarios named their configuration: the first target's description tells it.
function getFallbackConfiguration(summary: Summary): string {
  const target = summary.targets?.[0];
  if (target) return describeConfiguration(target);
  return `reference orchestrator, healer ${summary.options?.heal === false ? 'off' : 'on'}`;
}

function bool(value: boolean | undefined | null): number | null {
  return value === undefined || value === null ? null : value ? 1 : 0;
}
