// What `faultline run` does with the history store: reads the earlier runs the report trends over,
// checks the baseline gate, and indexes the new run folder once its reports are written.
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Summary } from '../analyse/summary-schema.js';
import { getErrorMessage } from '../errors.js';
import { readRunDir } from '../report/read-run-dir.js';
import { checkBaseline, type BaselineFinding, type BaselineOptions } from './baseline-gate.js';
import type { RunEventListener } from '../events/types.js';
import { createHistoryListener } from './history-listener.js';
import type { HistoryDb } from './open-history.js';
import { listHistoryRuns, listRelatedRunDirs, type HistoryRunRow } from './query-history.js';
import { openFilledHistory } from './rebuild-history.js';

/** Earlier runs a report reads for its trend and measured Occurrence. */
export const REPORT_HISTORY_RUNS = 20;

/** The store as one run uses it. */
export interface RunHistory {
  path: string;
  /** Problems met (a folder that could not be read when the store was first built): notes for the report. */
  notes: string[];
  /** Summaries of the newest earlier runs that share a scenario with this one, oldest first. */
  readEarlierSummaries(summary: Summary): Promise<Summary[]>;
  checkBaseline(summary: Summary, options: BaselineOptions): BaselineFinding[];
  /** Earlier game days of a plan file, newest first. */
  listGameDays(plan: string): HistoryRunRow[];
  /** Replaces an indexed run's exit code (a baseline regression fails the gate after the run ended). */
  recordExitCode(runId: string, exitCode: number): void;
  /** The indexer, as a listener on the run's events; problems go to `onProblem`. */
  createListener(onProblem: (message: string) => void): RunEventListener;
  close(): void;
}

/** Opens the store for a run; a new store is first filled from the run folders already beside it. */
export async function openRunHistory(path: string, reportsDir: string): Promise<RunHistory> {
  const { db, path: file, problems } = await openFilledHistory(path, reportsDir);
  const notes = problems.map((problem) => `history: ${problem}`);
  return {
    path: file,
    notes,
    readEarlierSummaries: (summary) => readEarlierSummaries(db, summary, notes),
    checkBaseline: (summary, options) => checkBaseline(db, summary, options),
    listGameDays: (plan) => listHistoryRuns(db, { kind: 'gameday' }).filter((run) => run.plan === plan),
    recordExitCode: (runId, exitCode) => void db.prepare('UPDATE runs SET exit_code = ? WHERE run_id = ?').run(exitCode, runId),
    createListener: (onProblem) => createHistoryListener(db, (message) => onProblem(`${file}: ${message}`)),
    close: () => db.close(),
  };
}

async function readEarlierSummaries(db: HistoryDb, summary: Summary, notes: string[]): Promise<Summary[]> {
  const dirs = listRelatedRunDirs(db, summary.scenarios.map((scenario) => scenario.id), { exclude: summary.runId, limit: REPORT_HISTORY_RUNS });
  const summaries: Summary[] = [];
  for (const dir of dirs) {
    if (!existsSync(dir)) {
      notes.push(`history: ${dir} is indexed but gone (run \`faultline history rebuild\` in ${dirname(dir)})`);
      continue;
    }
    try {
      summaries.push((await readRunDir(dir)).summary);
    } catch (error) {
      notes.push(`history: ${dir} left out of the trend: ${getErrorMessage(error)}`);
    }
  }
  return summaries.filter((earlier) => earlier.startedAt <= summary.startedAt).sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}
