// summary.md: the verdict and a table per scenario, for a CI job page ($GITHUB_STEP_SUMMARY) or a PR comment.
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { formatDuration } from './format.js';

/** Escapes text for a Markdown table cell: no markup, links, HTML or line breaks get through. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

const VERDICT_ICONS: Record<string, string> = { pass: '✅', fail: '❌', aborted: '⚠️', error: '⛔', 'rollback-failed': '⛔' };

// "p95 1.20 s (≤ 5.00 s)" or "2/3 not recovered".
function describeRto(scenario: ScenarioSummary): string {
  const completed = scenario.runs.filter((run) => run.status === 'completed');
  const unrecovered = completed.filter((run) => !run.recovered).length;
  const target = scenario.expect.rtoMs !== undefined ? ` (target ≤ ${formatDuration(scenario.expect.rtoMs)})` : '';
  if (unrecovered > 0) return `${unrecovered}/${completed.length} not recovered${target}`;
  return `${formatDuration(scenario.stats.rtoMs?.p95)}${target}`;
}

function describeLoss(scenario: ScenarioSummary): string {
  const runs = scenario.runs.filter((run) => run.dataLoss);
  if (runs.length === 0) return 'not measured';
  return `${runs.reduce((sum, run) => sum + run.dataLoss!.lost, 0)} of ${runs.reduce((sum, run) => sum + run.dataLoss!.sent, 0)}`;
}

/** The Markdown summary of a run. */
export function renderMarkdown(summary: Summary): string {
  const passed = summary.scenarios.filter((scenario) => scenario.verdict === 'pass').length;
  const runs = summary.scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0);
  const lines = [
    `## ${VERDICT_ICONS[summary.verdict] ?? ''} faultline: ${summary.verdict.toUpperCase()} — ${passed} of ${summary.scenarios.length} scenarios passed`,
    '',
    `Run \`${summary.runId.replace(/`/g, '')}\` · ${runs} runs in ${formatDuration(summary.durationMs)} · gate ${summary.options.gate ? 'on' : 'off'} · healer ${summary.options.heal ? 'on' : 'off'} · faultline ${escapeMarkdown(summary.environment.faultline)}`,
    '',
    '| Scenario | Verdict | Recovered | TTD p95 | RTO p95 | Data lost | FMEA (AP, RPN) |',
    '|---|---|---|---|---|---|---|',
    ...summary.scenarios.map((scenario) => [
      `${escapeMarkdown(scenario.title)} (${escapeMarkdown(scenario.id)})`,
      `${VERDICT_ICONS[scenario.verdict] ?? ''} ${scenario.verdict}`,
      `${scenario.stats.recovered}/${scenario.stats.completed}`,
      formatDuration(scenario.stats.ttdMs?.p95),
      describeRto(scenario),
      describeLoss(scenario),
      scenario.fmea ? `${escapeMarkdown(scenario.fmea.id)}: ${scenario.fmea.ap}, ${scenario.fmea.rpn}` : '—',
    ].join(' | ')).map((row) => `| ${row} |`),
  ];
  const notMet = summary.scenarios.flatMap((scenario) => scenario.checks.filter((check) => check.status !== 'met').map((check) => ({ scenario, check })));
  if (notMet.length > 0) {
    lines.push('', '### Claims not met', '');
    for (const { scenario, check } of notMet) {
      lines.push(`- **${escapeMarkdown(scenario.title)}** — ${escapeMarkdown(check.name)}: expected ${escapeMarkdown(check.expected)}; measured ${escapeMarkdown(check.measured)} (${check.status})`);
    }
  }
  return `${lines.join('\n')}\n`;
}
