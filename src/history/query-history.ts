// Reads the history store: runs with their scenarios (filtered by scenario and date), and one
// scenario's series of results within one configuration (never pooled across configurations).
import type { HistoryDb } from './open-history.js';

/** Filters of `faultline history`. */
export interface HistoryFilter {
  scenario?: string;
  /** ISO date or date-time: runs that started at or after it. */
  since?: string;
  /** ISO date or date-time: runs that started before it (a bare date includes that whole day). */
  until?: string;
  kind?: 'run' | 'gameday' | 'skipped';
  limit?: number;
}

/** One scenario of a listed run. */
export interface HistoryScenarioRow {
  id: string;
  title: string | null;
  configuration: string;
  verdict: string;
  completed: number;
  recovered: number;
  ttdP95Ms: number | null;
  rtoP95Ms: number | null;
  dataLost: number | null;
}

/** One listed run (or game day, or skipped scheduled run). */
export interface HistoryRunRow {
  runId: string;
  kind: 'run' | 'gameday' | 'skipped';
  dir: string;
  title: string | null;
  plan: string | null;
  startedAt: string;
  durationMs: number | null;
  verdict: string;
  exitCode: number | null;
  heal: boolean | null;
  healDelayMs: number | null;
  reason: string | null;
  scenarios: HistoryScenarioRow[];
  notes: { author: string | null; scenario: string | null; message: string }[];
}

/** Runs newest first, with their scenarios and notes. */
export function listHistoryRuns(db: HistoryDb, filter: HistoryFilter = {}): HistoryRunRow[] {
  const where: string[] = [];
  const params: Record<string, unknown> = {};
  if (filter.scenario) {
    where.push('run_id IN (SELECT run_id FROM scenarios WHERE scenario_id = @scenario)');
    params.scenario = filter.scenario;
  }
  if (filter.since) {
    where.push('started_at >= @since');
    params.since = filter.since;
  }
  if (filter.until) {
    // A bare date means "up to the end of that day": compare with the next day's start.
    where.push('started_at < @until');
    params.until = /^\d{4}-\d{2}-\d{2}$/.test(filter.until) ? nextDay(filter.until) : filter.until;
  }
  if (filter.kind) {
    where.push('kind = @kind');
    params.kind = filter.kind;
  }
  const sql = `SELECT * FROM runs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY started_at DESC, run_id DESC${filter.limit ? ` LIMIT ${Math.floor(filter.limit)}` : ''}`;
  const rows = db.prepare(sql).all(params) as Record<string, unknown>[];
  const scenarioQuery = db.prepare('SELECT * FROM scenarios WHERE run_id = ? ORDER BY position');
  const noteQuery = db.prepare('SELECT author, scenario_id, message FROM notes WHERE run_id = ? ORDER BY seq');
  return rows.map((row) => ({
    runId: String(row.run_id),
    kind: row.kind as HistoryRunRow['kind'],
    dir: String(row.dir),
    title: (row.title as string | null) ?? null,
    plan: (row.plan as string | null) ?? null,
    startedAt: String(row.started_at),
    durationMs: (row.duration_ms as number | null) ?? null,
    verdict: String(row.verdict),
    exitCode: (row.exit_code as number | null) ?? null,
    heal: row.heal === null || row.heal === undefined ? null : row.heal === 1,
    healDelayMs: (row.heal_delay_ms as number | null) ?? null,
    reason: (row.reason as string | null) ?? null,
    scenarios: (scenarioQuery.all(row.run_id) as Record<string, unknown>[]).map(toScenarioRow),
    notes: (noteQuery.all(row.run_id) as Record<string, unknown>[]).map((note) => ({ author: (note.author as string | null) ?? null, scenario: (note.scenario_id as string | null) ?? null, message: String(note.message) })),
  }));
}

/** One result of a scenario in the series the trend and the baseline gate read. */
export interface ScenarioResult {
  runId: string;
  startedAt: string;
  configuration: string;
  verdict: string;
  completed: number;
  recovered: number;
  rtoP95Ms: number | null;
  expectRtoMs: number | null;
  severity: number | null;
  fmeaId: string | null;
  title: string | null;
}

/** A scenario's results on one system (its baseline configuration, see getBaselineConfiguration), newest first, optionally only those before a run. */
export function getScenarioSeries(db: HistoryDb, scenarioId: string, baselineConfiguration: string, options: { before?: string; exclude?: string; limit?: number } = {}): ScenarioResult[] {
  const rows = db.prepare(`SELECT s.*, r.started_at FROM scenarios s JOIN runs r ON r.run_id = s.run_id
    WHERE s.scenario_id = @scenarioId AND s.baseline_configuration = @configuration
      ${options.before ? 'AND r.started_at < @before' : ''} ${options.exclude ? 'AND r.run_id <> @exclude' : ''}
    ORDER BY r.started_at DESC, r.run_id DESC ${options.limit ? `LIMIT ${Math.floor(options.limit)}` : ''}`)
      .all({ scenarioId, configuration: baselineConfiguration, ...(options.before ? { before: options.before } : {}), ...(options.exclude ? { exclude: options.exclude } : {}) }) as Record<string, unknown>[];
  return rows.map((row) => ({
    runId: String(row.run_id),
    startedAt: String(row.started_at),
    configuration: String(row.configuration),
    verdict: String(row.verdict),
    completed: Number(row.completed),
    recovered: Number(row.recovered),
    rtoP95Ms: (row.rto_p95 as number | null) ?? null,
    expectRtoMs: (row.expect_rto_ms as number | null) ?? null,
    severity: (row.severity as number | null) ?? null,
    fmeaId: (row.fmea_id as string | null) ?? null,
    title: (row.title as string | null) ?? null,
  }));
}

/** Folders of the newest runs that share a scenario with `scenarioIds`, newest first, skipping `exclude`. */
export function listRelatedRunDirs(db: HistoryDb, scenarioIds: readonly string[], options: { exclude?: string; limit?: number } = {}): string[] {
  if (scenarioIds.length === 0) return [];
  const marks = scenarioIds.map(() => '?').join(', ');
  const rows = db.prepare(`SELECT DISTINCT r.run_id, r.dir, r.started_at FROM runs r JOIN scenarios s ON s.run_id = r.run_id
    WHERE s.scenario_id IN (${marks}) ${options.exclude ? 'AND r.run_id <> ?' : ''}
    ORDER BY r.started_at DESC, r.run_id DESC LIMIT ${Math.floor(options.limit ?? 20)}`)
    .all(...scenarioIds, ...(options.exclude ? [options.exclude] : [])) as { dir: string }[];
  return rows.map((row) => row.dir);
}

function toScenarioRow(row: Record<string, unknown>): HistoryScenarioRow {
  return {
    id: String(row.scenario_id),
    title: (row.title as string | null) ?? null,
    configuration: String(row.configuration),
    verdict: String(row.verdict),
    completed: Number(row.completed),
    recovered: Number(row.recovered),
    ttdP95Ms: (row.ttd_p95 as number | null) ?? null,
    rtoP95Ms: (row.rto_p95 as number | null) ?? null,
    dataLost: (row.data_lost as number | null) ?? null,
  };
}

function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00.000Z`);
  day.setUTCDate(day.getUTCDate() + 1);
  return day.toISOString();
}
