// summary.md: the verdict and a table per scenario, for a CI job page ($GITHUB_STEP_SUMMARY) or a PR comment.
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import { formatVerdictBanner } from '../analyse/verdict-counts.js';
import { formatDuration } from './format.js';
import { buildConfigurationsView } from './view/configurations.js';

/** Escapes text for a Markdown table cell: no markup, links, HTML or line breaks get through. */
export function escapeMarkdown(text: string): string {
  return text
    .replace(/[\r\n]+/g, ' ')
    .replace(/[\\`*_[\]|~]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

// A known gap is an accepted risk, not a pass: it never gets the green tick.
const VERDICT_ICONS: Record<string, string> = { pass: '✅', fail: '❌', 'known-gap': '🟡', skipped: '⏭️', aborted: '⚠️', error: '⛔', 'rollback-failed': '⛔' };

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

// A pass that carries known gaps is not the all-green tick.
function getBannerIcon(summary: Summary): string {
  const gaps = summary.counts?.knownGaps ?? summary.scenarios.filter((scenario) => scenario.verdict === 'known-gap').length;
  return summary.verdict === 'pass' && gaps > 0 ? VERDICT_ICONS['known-gap']! : VERDICT_ICONS[summary.verdict] ?? '';
}

// "2/3", "0/1 (2 skipped)".
function describeRecovered(scenario: ScenarioSummary): string {
  const skipped = scenario.runs.filter((run) => run.status === 'skipped').length;
  return `${scenario.stats.recovered}/${scenario.stats.completed}${skipped > 0 ? ` (${skipped} skipped)` : ''}`;
}

/** The Markdown summary of a run; with `history` (the runs reported together), configurations side by side too. */
export function renderMarkdown(summary: Summary, history: readonly Summary[] = []): string {
  const runs = summary.scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0);
  const lines = [
    `## ${getBannerIcon(summary)} faultline: ${formatVerdictBanner(summary)}`,
    '',
    `Run \`${summary.runId.replace(/`/g, '')}\` · ${runs} runs in ${formatDuration(summary.durationMs)} · gate ${summary.options.gate ? 'on' : 'off'} · healer ${summary.options.heal ? 'on' : 'off'} · faultline ${escapeMarkdown(summary.environment.faultline)}`,
    '',
    '| Scenario | Verdict | Recovered | TTD p95 | RTO p95 | Data lost | FMEA (AP, RPN) |',
    '|---|---|---|---|---|---|---|',
    ...summary.scenarios.map((scenario) => [
      `${escapeMarkdown(scenario.title)} (${escapeMarkdown(scenario.id)})`,
      `${VERDICT_ICONS[scenario.verdict] ?? ''} ${scenario.verdict}`,
      describeRecovered(scenario),
      formatDuration(scenario.stats.ttdMs?.p95),
      describeRto(scenario),
      describeLoss(scenario),
      scenario.fmea ? `${escapeMarkdown(scenario.fmea.id)}: ${scenario.fmea.ap}, ${scenario.fmea.rpn}` : '—',
    ].join(' | ')).map((row) => `| ${row} |`),
  ];
  const explained = summary.scenarios.filter((scenario) => (scenario.reasons ?? []).length > 0);
  if (explained.length > 0) {
    lines.push('', '### Why', '');
    for (const scenario of explained) {
      lines.push(`- ${VERDICT_ICONS[scenario.verdict] ?? ''} **${escapeMarkdown(scenario.title)}** (${escapeMarkdown(scenario.verdict)})`);
      for (const reason of scenario.reasons) lines.push(`  - ${escapeMarkdown(reason)}`);
    }
  }
  lines.push(...renderConfigurations(history));
  return `${lines.join('\n')}\n`;
}

// Scenarios measured in several configurations (guardrails on and off), and the DR drills against their targets.
function renderConfigurations(history: readonly Summary[]): string[] {
  const view = buildConfigurationsView(history);
  if (!view) return [];
  const lines: string[] = [];
  if (view.rows.length > 0) {
    lines.push('', '### Configurations side by side', '', '| Scenario | Configuration | Verdict | Recovered | RTO | Data lost | RPO |', '|---|---|---|---|---|---|---|');
    for (const row of view.rows) {
      for (const cell of row.cells) lines.push(`| ${escapeMarkdown(row.title)} (${escapeMarkdown(row.id)}) | ${escapeMarkdown(cell.configuration)} | ${VERDICT_ICONS[cell.verdict] ?? ''} ${cell.verdict} | ${cell.recovered} | ${cell.rto} | ${cell.lost} | ${cell.rpo} |`);
    }
  }
  if (view.drills.length > 0) {
    lines.push('', '### Disaster-recovery drills', '', '| Drill | Configuration | RTO (worst) | RTO target | RPO (worst) | RPO target | Rows lost |', '|---|---|---|---|---|---|---|');
    for (const drill of view.drills) {
      const mark = (tone: string) => (tone === 'ok' ? '✅' : tone === 'bad' ? '❌' : '');
      lines.push(`| ${escapeMarkdown(drill.title)} (${escapeMarkdown(drill.id)}) | ${escapeMarkdown(drill.configuration)} | ${mark(drill.rtoTone)} ${drill.rto} | ${drill.rtoTarget} | ${mark(drill.rpoTone)} ${drill.rpo} | ${drill.rpoTarget} | ${drill.lost} |`);
    }
  }
  return lines;
}
