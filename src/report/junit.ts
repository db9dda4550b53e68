// junit.xml: one testcase per scenario; a failure names each expectation not met with measured vs expected.
import type { ScenarioSummary, Summary } from '../analyse/summary-schema.js';
import type { JournalEvent } from '../journal/events.js';
import { formatDuration } from './format.js';

// Characters XML 1.0 cannot carry at all are dropped; the rest are escaped.
const INVALID_XML = /[^\u0009\u000A\u000D\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Escapes text for an XML attribute or element. */
export function escapeXml(text: string): string {
  return text.replace(INVALID_XML, '').replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

// Seconds each scenario took, from its journal events (0 when the journal is missing).
function getScenarioSeconds(journal: readonly JournalEvent[]): Map<string, number> {
  const starts = new Map<string, number>();
  const seconds = new Map<string, number>();
  for (const event of journal) {
    if (!event.scenario) continue;
    if (event.type === 'scenario.start') starts.set(event.scenario, event.t);
    if (event.type === 'scenario.end' && starts.has(event.scenario)) seconds.set(event.scenario, (event.t - starts.get(event.scenario)!) / 1000);
  }
  return seconds;
}

// The <failure>, <error> or <skipped> of a scenario, or nothing when it passed cleanly. A known gap is
// <skipped>: CI shows it as skipped (yellow / grey), never as a green pass, and it does not fail the build.
function renderOutcome(scenario: ScenarioSummary): string {
  const reasons = scenario.reasons ?? [];
  if (scenario.verdict === 'pass') return '';
  if (scenario.verdict === 'known-gap' || scenario.verdict === 'skipped') {
    const message = scenario.verdict === 'known-gap' ? `known gap: ${stripPrefix(reasons[0] ?? 'the scenario documents that it does not recover', 'known gap: ')}` : `skipped: ${reasons[0] ?? 'no run could start'}`;
    return `      <skipped message="${escapeXml(message)}">${escapeXml(reasons.join('\n'))}</skipped>\n`;
  }
  const lines = reasons.length > 0 ? [...reasons] : describeProblems(scenario);
  const message = lines[0] ?? scenario.verdict;
  const tag = scenario.verdict === 'fail' ? 'failure' : 'error';
  return `      <${tag} message="${escapeXml(message)}" type="${escapeXml(scenario.verdict)}">${escapeXml(lines.join('\n'))}</${tag}>\n`;
}

// Without reasons (a summary from before they existed): the expectations not met and the broken runs.
function describeProblems(scenario: ScenarioSummary): string[] {
  const lines = scenario.checks.filter((check) => check.status !== 'met').map((check) => `${check.name}: expected ${check.expected}; measured ${check.measured} (${check.status})`);
  const broken = scenario.runs.filter((run) => run.status !== 'completed' || (run.rollback && !run.rollback.ok));
  lines.push(...broken.map((run) => `run ${run.index} ${run.status}${run.rollback && !run.rollback.ok ? `; rollback failed: ${run.rollback.detail}` : ''}${run.reason ? `: ${run.reason}` : ''}`));
  return lines;
}

function stripPrefix(text: string, prefix: string): string {
  return text.startsWith(prefix) ? text.slice(prefix.length) : text;
}

// What each run measured, for the CI log.
function renderRuns(scenario: ScenarioSummary): string {
  return scenario.runs.map((run) => run.status === 'skipped' ? `run ${run.index}: skipped: ${run.reason ?? ''}` : `run ${run.index}: ${run.status}, recovered ${run.recovered ? 'yes' : 'no'}, TTD ${formatDuration(run.ttdMs)}, RTO ${formatDuration(run.rtoMs)} (± ${formatDuration(run.resolutionMs)})${run.dataLoss ? `, lost ${run.dataLoss.lost}/${run.dataLoss.sent}` : ''}`).join('\n');
}

/** The JUnit XML report of a run (the format CI systems show test results from). */
export function renderJunit(summary: Summary, journal: readonly JournalEvent[] = []): string {
  const seconds = getScenarioSeconds(journal);
  const count = (verdicts: string[]) => summary.scenarios.filter((scenario) => verdicts.includes(scenario.verdict)).length;
  const tests = summary.scenarios.length;
  const failures = count(['fail']);
  const errors = count(['error', 'aborted']);
  const skipped = count(['known-gap', 'skipped']);
  const time = (summary.durationMs / 1000).toFixed(3);
  const attributes = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${time}"`;
  const cases = summary.scenarios.map((scenario) => {
    const name = `${scenario.id}: ${scenario.title}`;
    const classname = `faultline.${scenario.fmea?.id ?? scenario.fault.type}`;
    return `    <testcase classname="${escapeXml(classname)}" name="${escapeXml(name)}" file="${escapeXml(scenario.file)}" time="${(seconds.get(scenario.id) ?? 0).toFixed(3)}">\n`
      + renderOutcome(scenario)
      + `      <system-out>${escapeXml(renderRuns(scenario))}</system-out>\n`
      + '    </testcase>\n';
  }).join('');
  return '<?xml version="1.0" encoding="UTF-8"?>\n'
    + `<testsuites name="faultline" ${attributes}>\n`
    + `  <testsuite name="${escapeXml(`faultline ${summary.runId}`)}" ${attributes} timestamp="${escapeXml(summary.startedAt)}" hostname="${escapeXml(summary.environment.host)}">\n`
    + '    <properties>\n'
    + `      <property name="verdict" value="${escapeXml(summary.verdict)}"/>\n`
    + `      <property name="exitCode" value="${summary.exitCode}"/>\n`
    + `      <property name="faultline" value="${escapeXml(summary.environment.faultline)}"/>\n`
    + '    </properties>\n'
    + cases
    + '  </testsuite>\n'
    + '</testsuites>\n';
}
