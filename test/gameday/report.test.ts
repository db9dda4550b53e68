// The game-day report: hypotheses judged from their scenarios' verdicts, steps with outcomes, one
// timeline with notes and halts; the HTML escapes what the plan, the targets and notes say.
import { describe, expect, test } from 'vitest';
import type { Summary } from '../../src/analyse/summary-schema.js';
import type { JournalEvent } from '../../src/journal/events.js';
import { buildGameDayReport } from '../../src/gameday/report/build-report.js';
import { renderGameDayHtml, renderGameDayMarkdown } from '../../src/gameday/report/render-report.js';
import type { Plan } from '../../src/gameday/read-plan.js';

const scenario = (id: string, verdict: string) => ({ id, title: id, verdict, reasons: verdict === 'fail' ? ['RTO p95 9 s > 5 s'] : [], runs: [{}], stats: { recovered: verdict === 'pass' ? 1 : 0, ttdMs: { p50: 10, p95: 12, max: 12 }, rtoMs: null } });
const summary = { runId: 'r1', startedAt: '2026-12-02T10:00:00.000Z', finishedAt: '2026-12-02T10:05:00.000Z', verdict: 'aborted', exitCode: 3, scenarios: [scenario('a', 'pass'), scenario('b', 'fail'), scenario('c', 'aborted')] } as unknown as Summary;
const plan = {
  kind: 'gameday', title: 'Drill <b>', objective: 'o\n', target: 'reference', stopConditionIntervalMs: 1000, stopConditions: [],
  roles: { owner: { name: 'Ann', contact: 'ann@example.org' }, observers: [{ name: 'Obi' }] },
  hypotheses: [
    { id: 'h1', statement: 'a recovers', scenarios: ['a'] },
    { id: 'h2', statement: 'a and b recover', scenarios: ['a', 'b'] },
    { id: 'h3', statement: 'c recovers', scenarios: ['c'] },
    { id: 'h4', statement: 'd recovers', scenarios: ['d'] },
  ],
  steps: [{ scenario: 'a.yaml' }, { manual: { instruction: 'look', timeoutMs: 1000, onTimeout: 'halt' } }, { pauseMs: 5 }],
} as unknown as Plan;
const t = Date.parse(summary.startedAt);
const journal = [
  { t, type: 'run.start' },
  { t: t + 1000, type: 'step.start', index: 0, kind: 'scenarios', name: 'a.yaml' },
  { t: t + 3000, type: 'step.end', index: 0, kind: 'scenarios', name: 'a.yaml', outcome: 'done' },
  { t: t + 3001, type: 'step.start', index: 1, kind: 'manual', name: 'manual step', instruction: 'look' },
  { t: t + 4000, type: 'note', message: 'saw <script>x</script>', author: 'eve' },
  { t: t + 5000, type: 'halt', by: 'faultline halt (bob)', reason: 'smoke' },
  { t: t + 5001, type: 'step.end', index: 1, kind: 'manual', name: 'manual step', outcome: 'halted' },
] as JournalEvent[];

describe('the game-day report', () => {
  const report = buildGameDayReport({ id: 'drill', file: 'plan.yaml', plan, summary, journal });

  test('judges each hypothesis from its scenarios: held, refuted (a fail wins), untested (aborted or never run)', () => {
    expect(report.hypotheses.map((h) => [h.id, h.verdict, h.because])).toEqual([
      ['h1', 'held', 'a pass'],
      ['h2', 'refuted', 'b fail (RTO p95 9 s > 5 s)'],
      ['h3', 'untested', 'c aborted'],
      ['h4', 'untested', 'd did not run'],
    ]);
  });

  test('lists every step with its outcome, and one timeline with the note, its author and the halt', () => {
    expect(report.steps.map((step) => [step.kind, step.outcome, step.durationMs])).toEqual([['scenarios', 'done', 2000], ['manual', 'halted', 2000], ['pause', 'not run', null]]);
    expect(report.halt).toEqual({ by: 'faultline halt (bob)', reason: 'smoke', at: new Date(t + 5000).toISOString() });
    expect(report.timeline.map((entry) => [entry.at, entry.kind, entry.text, entry.who])).toContainEqual(['+4.0 s', 'note', 'saw <script>x</script>', 'eve']);
    expect(report.timeline.map((entry) => entry.kind)).toEqual(['step', 'step', 'manual', 'note', 'halt', 'manual']);
    expect(renderGameDayMarkdown(report)).toMatch(/\| Owner \| Ann \(ann@example\.org\) \|/);
  });

  test('the HTML page escapes everything and loads nothing', () => {
    const html = renderGameDayHtml(report);
    expect(html).toContain('Game day: Drill &lt;b&gt;');
    expect(html).toContain('saw &lt;script&gt;x&lt;/script&gt;');
    expect(html).not.toMatch(/<script|src=|href=/);
    expect(html).toContain(`content="default-src 'none'; style-src 'unsafe-inline'; img-src data:"`);
  });
});
