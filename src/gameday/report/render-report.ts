// The game-day report as Markdown (for a ticket or a job page) and as one self-contained HTML page
// (no script, nothing loaded from outside: its CSP says so), beside the run's own report.
import { join } from 'node:path';
import { writeFileAtomic } from '../../util/files.js';
import type { GameDayReport } from './build-report.js';
import type { Person } from '../plan-schema.js';

const person = (who: Person | undefined) => (who ? `${who.name}${who.contact ? ` (${who.contact})` : ''}` : '—');
const ms = (value: number | null) => (value === null ? '—' : value < 1000 ? `${Math.round(value)} ms` : `${(value / 1000).toFixed(2)} s`);
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function listRoles(report: GameDayReport): [string, string][] {
  const { roles } = report;
  return [
    ['Owner', person(roles.owner)],
    ['Coordinator', person(roles.coordinator)],
    ['Reporter', person(roles.reporter)],
    ['Observers', roles.observers && roles.observers.length > 0 ? roles.observers.map(person).join(', ') : '—'],
  ];
}

/** The report in Markdown. */
export function renderGameDayMarkdown(report: GameDayReport): string {
  const lines = [
    `# Game day: ${report.plan.title}`,
    '',
    `**Verdict:** ${report.verdict} (exit ${report.exitCode}) · run \`${report.runId}\` · ${report.startedAt} → ${report.finishedAt}`,
    ...(report.skipped ? ['', `**Skipped:** ${report.skipped}`] : []),
    ...(report.halt ? ['', `**Halted** at ${report.halt.at} by ${report.halt.by}: ${report.halt.reason}`] : []),
    '',
    `**Objective:** ${cell(report.plan.objective)}`,
    '',
    '## Roles',
    '',
    '| role | who |',
    '|---|---|',
    ...listRoles(report).map(([role, who]) => `| ${role} | ${cell(who)} |`),
    '',
    '## Hypotheses',
    '',
    '| hypothesis | verdict | scenarios | because |',
    '|---|---|---|---|',
    ...report.hypotheses.map((h) => `| ${cell(h.statement)} | **${h.verdict}** | ${h.scenarios.join(', ')} | ${cell(h.because)} |`),
    '',
    '## Steps',
    '',
    '| # | step | kind | outcome | took |',
    '|---|---|---|---|---|',
    ...report.steps.map((step) => `| ${step.index + 1} | ${cell(step.name)} | ${step.kind} | ${cell(step.outcome)} | ${ms(step.durationMs)} |`),
    '',
    '## Results',
    '',
    '| scenario | verdict | recovered | TTD p95 | RTO p95 |',
    '|---|---|---|---|---|',
    ...report.scenarios.map((s) => `| ${s.id} | ${s.verdict} | ${s.recovered} | ${ms(s.ttdP95Ms)} | ${ms(s.rtoP95Ms)} |`),
    '',
    '## Timeline',
    '',
    '| at | what | who |',
    '|---|---|---|',
    ...report.timeline.map((entry) => `| ${entry.at} | ${cell(entry.text)} | ${cell(entry.who ?? '')} |`),
    '',
    ...(report.history ? renderHistoryMarkdown(report.history) : []),
  ];
  return `${lines.join('\n')}\n`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!);

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`).join('')}</tbody></table>`;
}

/** The report as one HTML page: no script, inline style only, nothing fetched. */
export function renderGameDayHtml(report: GameDayReport): string {
  const style = 'body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:72rem;padding:0 1rem;color:#1d2330}table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem}th,td{border-bottom:1px solid #d8dce4;padding:.3rem .5rem;text-align:left;vertical-align:top}th{background:#f1f3f7}.verdict{font-weight:600}.halt{color:#a3330f}@media print{body{margin:0}}';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>Game day: ${escapeHtml(report.plan.title)}</title><style>${style}</style></head>
<body>
<h1>Game day: ${escapeHtml(report.plan.title)}</h1>
<p class="verdict">Verdict: ${escapeHtml(report.verdict)} (exit ${report.exitCode}) · run ${escapeHtml(report.runId)} · ${escapeHtml(report.startedAt)} → ${escapeHtml(report.finishedAt)}</p>
${report.skipped ? `<p class="halt">Skipped: ${escapeHtml(report.skipped)}</p>` : ''}
${report.halt ? `<p class="halt">Halted at ${escapeHtml(report.halt.at)} by ${escapeHtml(report.halt.by)}: ${escapeHtml(report.halt.reason)}</p>` : ''}
<p><strong>Objective:</strong> ${escapeHtml(report.plan.objective)}</p>
<h2>Roles</h2>${table(['role', 'who'], listRoles(report))}
<h2>Hypotheses</h2>${table(['hypothesis', 'verdict', 'scenarios', 'because'], report.hypotheses.map((h) => [h.statement, h.verdict, h.scenarios.join(', '), h.because]))}
<h2>Steps</h2>${table(['#', 'step', 'kind', 'outcome', 'took'], report.steps.map((s) => [String(s.index + 1), s.name, s.kind, s.outcome, ms(s.durationMs)]))}
<h2>Results</h2>${table(['scenario', 'verdict', 'recovered', 'TTD p95', 'RTO p95'], report.scenarios.map((s) => [s.id, s.verdict, s.recovered, ms(s.ttdP95Ms), ms(s.rtoP95Ms)]))}
<h2>Timeline</h2>${table(['at', 'what', 'who'], report.timeline.map((e) => [e.at, e.text, e.who ?? '']))}
${report.history ? renderHistoryHtml(report.history) : ''}
<p>The run's full report (FMEA worksheet, charts, evidence) is index.html in the same folder.</p>
</body></html>
`;
}

// The history section in Markdown: earlier game days, then the score with its formula and inputs.
function renderHistoryMarkdown(history: NonNullable<GameDayReport['history']>): string[] {
  return [
    '## Against earlier game days',
    '',
    ...(history.earlier.length === 0 ? ['No earlier game day of this plan in the history.'] : [
      '| game day | started | verdict | scenarios (recovered, RTO p95) |',
      '|---|---|---|---|',
      ...history.earlier.map((run) => `| ${run.runId} | ${run.startedAt} | ${run.verdict} | ${cell(run.scenarios.map((s) => `${s.id} ${s.recovered} ${ms(s.rtoP95Ms)}`).join('; '))} |`),
    ]),
    '',
    `## Resilience score: ${history.score === null ? '—' : `${history.score} / 100`}`,
    '',
    `\`${history.formula}\``,
    '',
    '| failure mode | scenario | S | runs that met the target | m |',
    '|---|---|---|---|---|',
    ...history.inputs.map((i) => `| ${cell(i.failureMode)} | ${i.scenario} | ${i.severity} | ${i.met}/${i.runs} | ${i.share} |`),
    '',
  ];
}

// Earlier game days of the plan and the resilience score (from the history store), formula and inputs shown.
function renderHistoryHtml(history: NonNullable<GameDayReport['history']>): string {
  const earlier = history.earlier.length === 0
    ? '<p>No earlier game day of this plan in the history.</p>'
    : table(['game day', 'started', 'verdict', 'scenarios (recovered, RTO p95)'], history.earlier.map((run) => [run.runId, run.startedAt, run.verdict, run.scenarios.map((s) => `${s.id} ${s.recovered} ${ms(s.rtoP95Ms)}`).join('; ')]));
  return `<h2>Against earlier game days</h2>${earlier}
<h2>Resilience score: ${history.score === null ? '—' : `${history.score} / 100`}</h2><p><code>${escapeHtml(history.formula)}</code></p>
${table(['failure mode', 'scenario', 'S', 'runs that met the target', 'm'], history.inputs.map((i) => [i.failureMode, i.scenario, String(i.severity), `${i.met}/${i.runs}`, String(i.share)]))}`;
}

/** Writes gameday.json, gameday.md and gameday.html into the run folder. */
export function writeGameDayReport(report: GameDayReport, runDir: string): { json: string; markdown: string; html: string } {
  const files = { json: join(runDir, 'gameday.json'), markdown: join(runDir, 'gameday.md'), html: join(runDir, 'gameday.html') };
  writeFileAtomic(files.json, `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(files.markdown, renderGameDayMarkdown(report));
  writeFileAtomic(files.html, renderGameDayHtml(report));
  return files;
}
