// The environment section: what ran, where, against what, and when.
import type { Summary } from '../../analyse/summary-schema.js';
import { formatDuration, formatTimestamp } from '../format.js';
import type { ReportInput } from '../report-input.js';

// Target descriptions are free-form: flatten them to short "key: value" lines.
function describeTarget(target: Record<string, unknown>): string {
  return Object.entries(target)
    .filter(([, value]) => value !== undefined && value !== null && value !== '')
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(' · ');
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
    { key: 'Run', value: summary.runId },
    { key: 'Started', value: formatTimestamp(summary.startedAt) },
    { key: 'Finished', value: `${formatTimestamp(summary.finishedAt)} (${formatDuration(summary.durationMs)})` },
    { key: 'Options', value: `gate ${summary.options.gate ? 'on' : 'off'} · healer ${summary.options.heal ? 'on' : 'off'}${summary.options.healDelayMs !== undefined ? ` · heal delay ${formatDuration(summary.options.healDelayMs)}` : ''}` },
    { key: 'Worksheets', value: input.worksheet.files.length > 0 ? input.worksheet.files.join(', ') : 'none (rows come from the scenarios’ fmea blocks)' },
    { key: 'Evidence', value: input.history.length > 1 ? `${input.history.length} runs: ${input.history.map((run) => run.runId).join(', ')}` : 'this run' },
    { key: 'Report rendered', value: formatTimestamp(input.generatedAt.toISOString()) },
  ];
  const targets = dedupe(summary.targets.map(describeTarget));
  return { rows, targets };
}

function dedupe(values: readonly string[]): string[] {
  return [...new Set(values)];
}
