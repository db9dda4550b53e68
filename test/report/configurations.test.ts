// Configurations side by side: the same scenarios measured with guardrails on and off, reported together,
// show which configuration recovers and which loses data; DR drills are shown against their targets.
import { describe, expect, test } from 'vitest';
import { describeConfiguration } from '../../src/analyse/configuration.js';
import type { Summary } from '../../src/analyse/summary-schema.js';
import { renderHtmlReport } from '../../src/report/html.js';
import { renderMarkdown } from '../../src/report/markdown.js';
import { buildConfigurationsView } from '../../src/report/view/configurations.js';
import { createTestInput } from './helpers.js';

// Two runs of the same two scenarios: guardrails on recovers and keeps every row; off does neither.
function createRuns(): { on: Summary; off: Summary } {
  const on = createTestInput({ rows: 2, scenarios: 2, runsPerScenario: 1 }).summary;
  const off = structuredClone(on);
  on.startedAt = '2026-12-02T01:00:00.000Z';
  off.startedAt = '2026-12-02T01:10:00.000Z';
  on.runId = 'run-on';
  off.runId = 'run-off';
  for (const scenario of on.scenarios) {
    Object.assign(scenario, { configuration: 'web stack, guardrails on', verdict: 'pass' });
    scenario.stats.rtoMs = { p50: 1200, p95: 1500, max: 1500 };
    for (const run of scenario.runs) Object.assign(run, { status: 'completed', recovered: true, rtoMs: 1500, dataLoss: { lost: 0, sent: 30, rejected: 2, window: null } });
  }
  for (const scenario of off.scenarios) {
    Object.assign(scenario, { configuration: 'web stack, guardrails off', verdict: 'fail' });
    scenario.stats.rtoMs = null;
    for (const run of scenario.runs) Object.assign(run, { status: 'completed', recovered: false, rtoMs: null, dataLoss: { lost: 4, sent: 30, rejected: 0, window: { fromMs: 10, toMs: 910 } } });
  }
  return { on, off };
}

describe('configurations side by side', () => {
  test('a target whose guardrails switch is a different configuration in each position', () => {
    expect(describeConfiguration({ driver: 'webstack', name: 'webstack', guardrails: 'on' })).toBe('webstack target webstack, guardrails on');
    expect(describeConfiguration({ driver: 'webstack', name: 'webstack', guardrails: 'off' })).toBe('webstack target webstack, guardrails off');
  });

  test('each scenario gets one row per configuration: recovered and RTO, data lost and the span of the lost writes', () => {
    const { on, off } = createRuns();
    const view = buildConfigurationsView([on, off])!;
    expect(view.rows).toHaveLength(2);
    expect(view.rows[0]!.cells).toEqual([
      expect.objectContaining({ configuration: 'web stack, guardrails off', recovered: '0/1', rto: 'not recovered', lost: '4 of 30', rpo: 'lost writes span 900 ms', tone: 'bad', runId: 'run-off' }),
      expect.objectContaining({ configuration: 'web stack, guardrails on', recovered: '1/1', rto: 'p50 1.20 s · p95 1.50 s', lost: '0 of 30', rpo: '0 (none lost)', tone: 'ok', runId: 'run-on' }),
    ]);
    // One configuration alone has nothing to compare.
    expect(buildConfigurationsView([on])).toBeUndefined();
  });

  test('the HTML and Markdown reports show both configurations of a scenario', async () => {
    const { on, off } = createRuns();
    const input = createTestInput({ rows: 2, scenarios: 2, runsPerScenario: 1 });
    Object.assign(input, { summary: off, history: [on, off] });
    const html = await renderHtmlReport(input);
    const section = html.slice(html.indexOf('<section id="configurations">'), html.indexOf('</section>', html.indexOf('<section id="configurations">')));
    expect(section).toContain('web stack, guardrails on');
    expect(section).toContain('web stack, guardrails off');
    expect(section.match(/<td class="n bad">4 of 30<\/td>/g)).toHaveLength(2);
    const markdown = renderMarkdown(off, [on, off]);
    expect(markdown).toContain('### Configurations side by side');
    expect(markdown).toMatch(/\| web stack, guardrails off \| ❌ fail \| 0\/1 \| not recovered \| 4 of 30 \| lost writes span 900 ms \|/);
    expect(renderMarkdown(off)).not.toContain('side by side');
  });

  test('a DR drill is measured from its disaster: RTO and RPO against its targets, met or not', () => {
    const { on, off } = createRuns();
    for (const summary of [on, off]) {
      const drill = summary.scenarios[0]!;
      drill.fault = { type: 'db.dr-drill', disasterAfterMs: 5000, rpoTargetMs: 60_000 } as Summary['scenarios'][number]['fault'];
      drill.expect.rtoMs = 300_000;
    }
    // Guardrails on: recovered 40 s after t0 (35 s after the disaster); lost writes from 1 s after t0 (4 s before the disaster).
    Object.assign(on.scenarios[0]!.runs[0]!, { rtoMs: 40_000, dataLoss: { lost: 3, sent: 30, rejected: 0, window: { fromMs: 1000, toMs: 4800 } } });
    const drills = buildConfigurationsView([on, off])!.drills;
    expect(drills).toEqual([
      expect.objectContaining({ configuration: 'web stack, guardrails off', rto: 'not recovered', rtoTone: 'bad', rpo: '4.99 s', rpoTone: 'ok', lost: 4 }),
      expect.objectContaining({ configuration: 'web stack, guardrails on', rto: '35.00 s', rtoTarget: '< 5.0 min', rtoTone: 'ok', rpo: '4.00 s', rpoTarget: '< 60.00 s', rpoTone: 'ok', lost: 3 }),
    ]);
  });
});
