// What `faultline history` does: list the store's runs (a table, or JSON), or rebuild it from the folders.
import { relative } from 'node:path';
import { ExitCode, InputError } from '../errors.js';
import { getDefaultHistoryPath, openHistory } from '../history/open-history.js';
import { listHistoryRuns, type HistoryRunRow } from '../history/query-history.js';
import { openFilledHistory, rebuildHistory } from '../history/rebuild-history.js';
import { sanitizeForTerminal } from '../util/terminal-text.js';
import type { HistoryListArgs, HistoryStoreArgs } from './commands/history.js';

/** `faultline history`: the runs newest first; a new store is filled from the folders first. */
export async function runHistoryList(args: HistoryListArgs): Promise<number> {
  const since = checkDate(args.since, '--since');
  const until = checkDate(args.until, '--until');
  if (args.limit !== undefined && (!Number.isInteger(args.limit) || args.limit < 1)) throw new InputError(`--limit: expected a whole number ≥ 1; got ${args.limit}`);
  const { db, path, problems } = await openFilledHistory(args.history ?? getDefaultHistoryPath(args.reports), args.reports);
  try {
    for (const problem of problems) process.stderr.write(`note: ${sanitizeForTerminal(problem)}\n`);
    const runs = listHistoryRuns(db, { ...(args.scenario ? { scenario: args.scenario } : {}), ...(since ? { since } : {}), ...(until ? { until } : {}), ...(args.kind ? { kind: args.kind } : {}), ...(args.limit ? { limit: args.limit } : {}) });
    if (args.json) process.stdout.write(`${JSON.stringify({ history: path, runs }, null, 2)}\n`);
    else process.stdout.write(sanitizeForTerminal(formatRuns(runs, path), { multiline: true }));
    return ExitCode.ok;
  } finally {
    db.close();
  }
}

/** `faultline history rebuild`: empties the store and indexes every run folder. */
export async function runHistoryRebuild(args: HistoryStoreArgs): Promise<number> {
  const { db, path } = openHistory(args.history ?? getDefaultHistoryPath(args.reports));
  try {
    const result = await rebuildHistory(db, args.reports);
    if (args.json) {
      process.stdout.write(`${JSON.stringify({ history: path, indexed: result.indexed, problems: result.problems }, null, 2)}\n`);
    } else {
      for (const problem of result.problems) process.stderr.write(`note: ${sanitizeForTerminal(problem)}\n`);
      const kinds = ['run', 'gameday', 'skipped'].map((kind) => `${result.indexed.filter((entry) => entry.kind === kind).length} ${kind === 'gameday' ? 'game days' : kind === 'run' ? 'runs' : 'skipped'}`);
      process.stdout.write(sanitizeForTerminal(`Indexed ${kinds.join(', ')} from ${args.reports} into ${relative(process.cwd(), path) || path}\n`));
    }
    return ExitCode.ok;
  } finally {
    db.close();
  }
}

// A filter date must parse: a bare YYYY-MM-DD, or an ISO date-time (normalised to UTC, as the store keeps them).
function checkDate(value: string | undefined, option: string): string | undefined {
  if (value === undefined) return undefined;
  if (/^\d{4}-\d{2}-\d{2}$/.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return value;
  const time = Date.parse(value);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(value) || Number.isNaN(time)) throw new InputError(`${option}: expected a date (YYYY-MM-DD) or an ISO date-time; got "${value}"`);
  return new Date(time).toISOString();
}

function formatRuns(runs: readonly HistoryRunRow[], path: string): string {
  if (runs.length === 0) return `No runs in ${path} (run \`faultline history rebuild\` if the folders hold some).\n`;
  const lines = ['started (UTC)        kind     verdict  run                     scenarios'];
  for (const run of runs) {
    const scenarios = run.kind === 'skipped'
      ? `skipped: ${run.reason ?? ''}`
      : run.scenarios.map((scenario) => `${scenario.id} ${scenario.verdict} ${scenario.recovered}/${scenario.completed}${scenario.rtoP95Ms === null ? '' : ` RTO p95 ${formatMs(scenario.rtoP95Ms)}`}`).join('; ');
    lines.push(`${run.startedAt.slice(0, 19).replace('T', ' ')}  ${run.kind.padEnd(7)}  ${run.verdict.padEnd(7)}  ${run.runId.padEnd(22)}  ${run.title ? `${run.title}: ` : ''}${scenarios}`);
  }
  return `${lines.join('\n')}\n`;
}

function formatMs(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms)} ms`;
}
