import { describe, expect, test } from 'vitest';
import { describeConfiguration } from '../../src/analyse/configuration.js';
import { formatWithWindow, ZERO_TTD_REASON } from '../../src/report/format.js';
import { buildReportView } from '../../src/report/view/build-view.js';
import { fitLogDomain } from '../../src/report/view/log-axis.js';
import { buildSystemUnderTestView } from '../../src/report/view/system-under-test.js';
import { placeMarkers } from '../../src/report/view/timeline.js';
import { buildTimingPoints, buildTimingRows } from '../../src/report/view/timing.js';
import { createTestInput } from './helpers.js';

describe('figures with their own window', () => {
  test('a window reaching back to t0 is one-sided; a narrower one reads as a range; never "±"', () => {
    expect(formatWithWindow(11.3, 11.3)).toBe('≤ 11.3 ms (window 11.3 ms)');
    expect(formatWithWindow(11.3, 40)).toBe('≤ 11.3 ms (window 11.3 ms)');
    expect(formatWithWindow(1200, 220)).toBe('980 ms–1.20 s (window 220 ms)');
    expect(formatWithWindow(5, null)).toBe('5 ms');
    expect(formatWithWindow(0, 3, { zeroReason: ZERO_TTD_REASON })).toBe('0 ms (failure seen before inject returned)');
    expect(formatWithWindow(null, 3)).toBe('—');
  });

  test('each run row carries the TTD’s window and the RTO’s own, not one for both', () => {
    const input = createTestInput({ rows: 2, scenarios: 1, runsPerScenario: 1 });
    Object.assign(input.summary.scenarios[0]!.runs[0]!, { recovered: true, ttdMs: 12, ttdResolutionMs: 12, rtoMs: 900, rtoResolutionMs: 100, resolutionMs: 100, inject: { startedAt: 1, returnedAt: 3.5, durationMs: 2.5 } });
    const run = buildReportView(input).view.timelines[0]!.runs[0]!;
    expect(run.ttd).toBe('≤ 12 ms (window 12 ms)');
    expect(run.rto).toBe('800 ms–900 ms (window 100 ms)');
    expect(run.inject).toBe('2.5 ms');
    const html = JSON.stringify(buildReportView(input).view.timelines);
    expect(html).not.toContain('±');
  });

  test('counts read in words: "1 run not recovered", never "run(s)"', () => {
    const input = createTestInput({ rows: 2, scenarios: 1, runsPerScenario: 2 });
    Object.assign(input.summary.scenarios[0]!.runs[0]!, { recovered: false, rtoMs: null });
    expect(buildTimingRows(input.summary)[0]!.rto.missing).toBe('1 run not recovered');
    expect(JSON.stringify(buildReportView(input).view)).not.toMatch(/\(s\)/);
  });
});

describe('timing charts', () => {
  test('a run that did not recover is counted in the lane and drawn nowhere on the axis', () => {
    const input = createTestInput({ rows: 3, scenarios: 3, runsPerScenario: 2 });
    for (const scenario of input.summary.scenarios) for (const run of scenario.runs) Object.assign(run, { recovered: true, rtoMs: 700 });
    Object.assign(input.summary.scenarios[1]!.runs[1]!, { recovered: false, rtoMs: null, timeoutMs: 5000 });
    const data = buildTimingPoints(input.summary, 'rtoMs');
    expect(data.lane).toEqual([{ scenario: input.summary.scenarios[1]!.id, runs: 1, completed: 2, label: '1 of 2 runs' }]);
    expect(data.points.filter((point) => point.kind === 'run' && point.scenario === input.summary.scenarios[1]!.id)).toHaveLength(1);
    expect(data.points.some((point) => point.ms === 5000 && point.kind === 'run')).toBe(false);
    expect(data.order).toEqual(input.summary.scenarios.map((scenario) => scenario.id));
    const spec = buildReportView(input).specs.rto as { hconcat: { encoding?: { y: { sort: string[] } } }[] };
    expect(spec.hconcat).toHaveLength(2);
    expect(spec.hconcat[0]!.encoding!.y.sort).toEqual(buildTimingRows(input.summary).map((row) => row.id));
  });

  test('the log axis fits the data instead of starting at 0', () => {
    expect(fitLogDomain([0.4, 25, 320])).toEqual([0.2, 500]);
    expect(fitLogDomain([120, 5000])).toEqual([100, 10000]);
    expect(fitLogDomain([])).toEqual([1, 1000]);
  });
});

describe('timeline markers', () => {
  test('labels in one lane never overlap, and repeats of a signal stay on the bar unlabelled', () => {
    const input = createTestInput({ rows: 1, scenarios: 1, runsPerScenario: 1 });
    const run = input.summary.scenarios[0]!.runs[0]!;
    Object.assign(run, { ttdMs: 5, rtoMs: 150, recovered: true });
    run.targetSignals = [3, 6, 9, 140, 145].map((offsetMs, index) => ({ t: offsetMs, offsetMs, event: index % 2 ? 'repair' : 'detect', component: 'healer' }));
    const markers = placeMarkers(run, 'run 1', 0, 660 / 160);
    expect(markers).toHaveLength(7);
    const labelled = markers.filter((marker) => marker.text !== '');
    expect(new Set(labelled.map((marker) => marker.text.split(' ').slice(0, -2).join(' '))).size).toBe(labelled.length);
    for (const lane of new Set(labelled.map((marker) => marker.lane))) {
      const spans = labelled.filter((marker) => marker.lane === lane).map((marker) => [marker.at * (660 / 160), marker.at * (660 / 160) + 16 + marker.text.length * 5.6]).sort((a, b) => a[0]! - b[0]!);
      for (let index = 1; index < spans.length; index += 1) expect(spans[index]![0]!).toBeGreaterThan(spans[index - 1]![1]!);
    }
    expect(markers.filter((marker) => marker.lane === 'bar' && marker.text === '').length).toBeGreaterThan(0);
  });
});

describe('system under test', () => {
  test('"healer on" appears only for the reference orchestrator with its healer; an external target heals itself', () => {
    const input = createTestInput({ rows: 1, scenarios: 1, runsPerScenario: 1 });
    input.summary.options.heal = true;
    input.summary.targets = [{ kind: 'external', name: 'upstream', file: 'targets/upstream.yaml', socket: { socketName: 'x' } }];
    const external = buildSystemUnderTestView(input.summary);
    expect(external.healing).toBe('upstream: its own healing');
    expect(JSON.stringify(external)).not.toContain('healer on');
    expect(external.rows.find((row) => row.key === 'Healing')!.value).toMatch(/faultline heals nothing/);
    expect(buildReportView(input).view.executive.healing).not.toContain('healer on');
    input.summary.targets = [{ kind: 'reference', heal: { intervalMs: 100, delayMs: 0 } }, { kind: 'reference', heal: { intervalMs: 100, delayMs: 0 } }];
    const reference = buildSystemUnderTestView(input.summary);
    expect(reference.healing).toBe('healer on');
    expect(reference.rows[0]!.value).toMatch(/2 instances, one per scenario/);
    input.summary.targets = [{ kind: 'reference', heal: false }];
    expect(buildSystemUnderTestView(input.summary).healing).toBe('healer off');
  });

  test('targets as describe() gives them now (their `driver`, not `kind`) read the same', () => {
    const input = createTestInput({ rows: 1, scenarios: 1, runsPerScenario: 1 });
    input.summary.targets = [{ driver: 'reference', dir: '/tmp/x', heal: { intervalMs: 100, delayMs: 0 } }];
    expect(buildSystemUnderTestView(input.summary).healing).toBe('healer on');
    expect(buildSystemUnderTestView(input.summary).rows[0]!.value).toMatch(/reference orchestrator/);
    input.summary.targets = [{ driver: 'external', name: 'upstream', file: 'targets/upstream.yaml' }];
    expect(buildSystemUnderTestView(input.summary).rows.find((row) => row.key === 'Healing')!.value).toMatch(/faultline heals nothing/);
    expect(JSON.stringify(buildSystemUnderTestView(input.summary))).toContain('external, described by a target file (targets/upstream.yaml)');
    expect(describeConfiguration({ driver: 'reference', heal: false })).toBe('reference orchestrator, healer off');
    expect(describeConfiguration({ driver: 'reference', heal: { intervalMs: 100, delayMs: 0 } })).toBe('reference orchestrator, healer on');
    expect(describeConfiguration({ driver: 'supervisord', name: 'web', file: '/srv/web.yaml' })).toBe('supervisord target web (/srv/web.yaml)');
  });

  test('versions, host load at start and end, and the scenarios’ commit are listed', () => {
    const input = createTestInput({ rows: 1, scenarios: 1, runsPerScenario: 1 });
    Object.assign(input.summary.environment, { tmux: 'tmux 3.3a', kernel: '6.1.0', cpus: 2, loadAverage: { start: [1.5, 1, 0.5], end: [2, 1.25, 0.5] }, scenariosCommit: { commit: '0123456789abcdef', dirty: true } });
    const rows = Object.fromEntries(buildSystemUnderTestView(input.summary).rows.map((row) => [row.key, row.value]));
    expect(rows.Versions).toBe('faultline 0.1.0 · Node.js v20.20.2 · tmux 3.3a · kernel 6.1.0');
    expect(rows.Host).toContain('2 cores · load average 1.50 / 1.00 / 0.50 at start, 2.00 / 1.25 / 0.50 at end');
    expect(rows.Scenarios).toBe('1 scenario; git commit 0123456789ab with local changes to the scenario files');
  });
});

describe('sign-off and claims', () => {
  test('names given sign; names missing leave blank lines; the checksum names what was run', () => {
    const input = createTestInput({ rows: 1, scenarios: 1, runsPerScenario: 1 });
    Object.assign(input.summary.environment, { scenarioFiles: [{ file: 'scenarios/a.yaml', sha256: 'ab'.repeat(32) }], scenariosSha256: 'cd'.repeat(32) });
    input.signOff = { preparedBy: 'A. Tester' };
    const { signOff } = buildReportView(input).view;
    expect(signOff.rows).toEqual([{ role: 'Prepared by', name: 'A. Tester', date: '2026-11-02' }, { role: 'Reviewed by', name: '', date: '' }]);
    expect(signOff).toMatchObject({ checksum: 'cd'.repeat(32), filesLine: '1 scenario file' });
  });

  test('claims are grouped under their scenario, which is named once', () => {
    const input = createTestInput({ rows: 3, scenarios: 3, runsPerScenario: 1 });
    const { claims } = buildReportView(input).view;
    expect(claims.groups).toHaveLength(3);
    expect(claims.groups[0]!.claims.map((claim) => claim.claim)).toEqual(['Recovers on its own', 'Time to detect (TTD)', 'Time to recover (RTO)']);
    expect(claims.groups[0]!.claims[0]).not.toHaveProperty('title');
  });
});
