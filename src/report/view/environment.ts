// The environment section: what ran, where, against what, and when.
import type { Summary } from '../../analyse/summary-schema.js';
import { formatDuration, formatTimestamp } from '../format.js';
import type { ReportInput } from '../report-input.js';

// Target descriptions are free-form: flatten them to "key: value" rows, nested keys joined with a dot.
function flattenTarget(value: unknown, prefix = ''): { key: string; value: string }[] {
  if (value === undefined || value === null || value === '') return [];
  if (typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, inner]) => flattenTarget(inner, prefix ? `${prefix}.${key}` : key));
  }
  const text = Array.isArray(value) ? value.map((item) => (typeof item === 'object' ? JSON.stringify(item) : String(item))).join(', ') : String(value);
  return [{ key: prefix, value: text }];
}

/** Key/value rows of the environment. */
export function buildEnvironmentView(input: ReportInput) {
  const summary: Summary = input.summary;
  const env = summary.environment;
  const rows: { key: string; value: string }[] = [
    { key: 'faultline', value: env.faultline },
    { key: 'Node.js', value: env.node },
    { key: 'Host', value: `${env.host} (${env.platform})` },
    ...(env.tmux ? [{ key: 'tmux', value: env.tmux }] : []),
    ...(env.kernel ? [{ key: 'Kernel', value: env.kernel }] : []),
    ...(env.cpus ? [{ key: 'Cores', value: String(env.cpus) }] : []),
    ...(env.loadAverage ? [{ key: 'Load average (1 / 5 / 15 min)', value: `${env.loadAverage.start.map((value) => value.toFixed(2)).join(' / ')} at start${env.loadAverage.end ? `; ${env.loadAverage.end.map((value) => value.toFixed(2)).join(' / ')} at end` : ''}` }] : []),
    ...(env.scenariosCommit ? [{ key: 'Scenarios commit', value: `${env.scenariosCommit.commit}${env.scenariosCommit.dirty ? ' (scenario files changed since)' : ''}` }] : []),
    { key: 'Run', value: summary.runId },
    { key: 'Started', value: formatTimestamp(summary.startedAt) },
    { key: 'Finished', value: `${formatTimestamp(summary.finishedAt)} (${formatDuration(summary.durationMs)})` },
    { key: 'Options', value: `gate ${summary.options.gate ? 'on' : 'off'} · --heal ${summary.options.heal ? 'on' : 'off'} (applies to the bundled reference orchestrator only)${summary.options.healDelayMs !== undefined ? ` · heal delay ${formatDuration(summary.options.healDelayMs)}` : ''}` },
    { key: 'Worksheets', value: input.worksheet.files.length > 0 ? input.worksheet.files.join(', ') : 'none (rows come from the scenarios’ fmea blocks)' },
    { key: 'Evidence', value: input.history.length > 1 ? `${input.history.length} runs: ${input.history.map((run) => run.runId).join(', ')}` : 'this run' },
    { key: 'Report rendered', value: formatTimestamp(input.generatedAt.toISOString()) },
  ];
  // Reference instances differ only in their temporary folders: one table per distinct description is enough.
  const seen = new Set<string>();
  const targets = summary.targets.map((target) => flattenTarget(target)).filter((rows) => {
    const key = JSON.stringify(rows.filter((row) => !/^(dir|socket|data\.path|runAs\.uid|startMs)$/.test(row.key)));
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((rows, index) => ({ index: index + 1, rows }));
  const raw = JSON.stringify({ environment: env, options: summary.options, targets: summary.targets }, null, 2);
  return { rows, targets, raw };
}
