// `--metrics FILE`: OpenMetrics text per scenario, checked against the exposition format's rules
// (a strict reader below), and what node_exporter's textfile collector needs (whole file, no timestamps).
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Summary } from '../../src/analyse/summary-schema.js';
import { renderOpenMetrics, writeMetricsFile } from '../../src/report/openmetrics.js';

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Reads an OpenMetrics exposition strictly; throws naming the line that breaks a rule. Returns the samples. */
function parseOpenMetrics(text: string): { family: string; name: string; labels: Record<string, string>; value: number }[] {
  if (!text.endsWith('# EOF\n')) throw new Error('must end with "# EOF" and a newline');
  const lines = text.slice(0, -1).split('\n');
  if (lines.at(-1) !== '# EOF' || lines.slice(0, -1).includes('# EOF')) throw new Error('exactly one # EOF, last');
  const families = new Map<string, { type?: string; unit?: string; help?: string; samples: boolean }>();
  const done = new Set<string>();
  const seen = new Set<string>();
  let current: string | undefined;
  const samples: { family: string; name: string; labels: Record<string, string>; value: number }[] = [];
  lines.slice(0, -1).forEach((line, index) => {
    const where = `line ${index + 1}: ${line}`;
    const meta = /^# (TYPE|UNIT|HELP) (\S+) (.*)$/.exec(line);
    if (meta) {
      const [, kind, name, rest] = meta as unknown as [string, string, string, string];
      if (!NAME.test(name)) throw new Error(`${where}: bad metric name`);
      if (name !== current) {
        if (done.has(name) || families.has(name)) throw new Error(`${where}: family interleaved or repeated`);
        if (current) done.add(current);
        current = name;
        families.set(name, { samples: false });
      }
      const family = families.get(name)!;
      if (family.samples) throw new Error(`${where}: metadata after samples`);
      if (kind === 'TYPE') {
        if (family.type || !['gauge', 'counter', 'stateset', 'info', 'histogram', 'gaugehistogram', 'summary', 'unknown'].includes(rest)) throw new Error(`${where}: bad or repeated TYPE`);
        family.type = rest;
      } else if (kind === 'UNIT') {
        if (!name.endsWith(`_${rest}`)) throw new Error(`${where}: a family with a unit must end in _<unit>`);
        family.unit = rest;
      } else {
        if (/\\(?![\\n"])/.test(rest)) throw new Error(`${where}: bad escape in HELP`);
        family.help = rest;
      }
      return;
    }
    if (line.startsWith('#')) throw new Error(`${where}: OpenMetrics allows no other comments`);
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!sample) throw new Error(`${where}: not a sample (name{labels} value, no timestamp)`);
    const [, name, labelText = '', valueText] = sample as unknown as [string, string, string | undefined, string];
    if (name !== current) throw new Error(`${where}: sample outside its family's block`);
    const family = families.get(name)!;
    if (family.type !== 'gauge') throw new Error(`${where}: only gauges are written (and declared before samples)`);
    family.samples = true;
    const labels: Record<string, string> = {};
    let rest = labelText;
    while (rest.length > 0) {
      const pair = /^([^=]+)="((?:[^"\\]|\\[\\n"])*)"(,|$)/.exec(rest);
      if (!pair || !LABEL.test(pair[1]!) || pair[1]! in labels) throw new Error(`${where}: bad label set`);
      labels[pair[1]!] = pair[2]!.replace(/\\n/g, '\n').replace(/\\"/g, '"').replace(/\\\\/g, '\\');
      rest = rest.slice(pair[0].length);
    }
    if (!/^-?(?:\d+(?:\.\d+)?(?:e[-+]?\d+)?|\+Inf|-Inf|NaN)$/.test(valueText)) throw new Error(`${where}: bad number`);
    const key = `${name}${JSON.stringify(Object.entries(labels).sort())}`;
    if (seen.has(key)) throw new Error(`${where}: duplicate series`);
    seen.add(key);
    samples.push({ family: name, name, labels, value: Number(valueText) });
  });
  return samples;
}

// A summary as `faultline run` writes it, with the figures the metrics carry (two scenarios, one unrecovered).
function createSummary(): Summary {
  const scenario = (id: string, recovered: boolean) => ({
    id, title: `Scenario "${id}"\nwith a second line`, file: `/x/${id}.yaml`, verdict: recovered ? 'pass' : 'fail', reasons: [],
    configuration: 'reference orchestrator, healer on', fault: { type: 'tmux.kill-window' }, resolutionMs: 12, steadyStateProbes: 1,
    expect: { rtoMs: 5000 }, checks: [], fmea: null, runs: [],
    stats: { ttdMs: { p50: 10, p95: 20.5, max: 21 }, rtoMs: recovered ? { p50: 40, p95: 1234.5678, max: 1500 } : null, recovered: recovered ? 3 : 0, completed: 3, dataLoss: recovered ? { lost: 0, sent: 20, rejected: 0 } : { lost: 4, sent: 20, rejected: 0 } },
  });
  return {
    schemaVersion: 1, runId: '20261202-010000-abcd', verdict: 'fail', exitCode: 1, startedAt: '2026-12-02T01:00:00.000Z', finishedAt: '2026-12-02T01:00:10.000Z', durationMs: 10_000,
    options: { heal: true, gate: true }, environment: { faultline: '0.1.0', node: 'v20', host: 'h', platform: 'linux x64' }, targets: [],
    counts: { scenarios: 2, passed: 1, failed: 1, knownGaps: 0, skipped: 0, aborted: 0, errors: 0 },
    scenarios: [scenario('window-kill', true), scenario('with\\back"slash', false)],
  } as unknown as Summary;
}

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'faultline-metrics-history-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('OpenMetrics', () => {
  test('the exposition follows the format: families in blocks, TYPE/UNIT/HELP before samples, escaped labels, # EOF last', () => {
    const samples = parseOpenMetrics(renderOpenMetrics(createSummary()));
    const get = (family: string, scenario: string, extra: Record<string, string> = {}) => samples.find((sample) => sample.family === family && sample.labels.scenario === scenario && Object.entries(extra).every(([key, value]) => sample.labels[key] === value))?.value;
    expect(get('faultline_scenario_recovered', 'window-kill')).toBe(3);
    expect(get('faultline_scenario_recovered', 'with\\back"slash')).toBe(0);
    expect(get('faultline_scenario_rto_p95_seconds', 'window-kill')).toBeCloseTo(1.2345678, 5);
    expect(get('faultline_scenario_rto_p95_seconds', 'with\\back"slash')).toBeUndefined(); // no RTO: no sample, never a made-up 0
    expect(get('faultline_scenario_ttd_p95_seconds', 'window-kill')).toBeCloseTo(0.0205, 6);
    expect(get('faultline_scenario_data_lost', 'with\\back"slash')).toBe(4);
    expect(get('faultline_scenario_verdict', 'window-kill', { verdict: 'pass' })).toBe(1);
    expect(get('faultline_scenario_verdict', 'window-kill', { verdict: 'fail' })).toBe(0);
    expect(get('faultline_scenario_verdict', 'with\\back"slash', { verdict: 'fail' })).toBe(1);
    expect(samples.filter((sample) => sample.family === 'faultline_scenario_verdict' && sample.labels.scenario === 'window-kill')).toHaveLength(6);
    expect(samples.every((sample) => sample.labels.configuration === 'reference orchestrator, healer on' || sample.family.startsWith('faultline_run_'))).toBe(true);
  });

  test('the reader refuses what breaks the format, so the check above can fail', () => {
    const good = renderOpenMetrics(createSummary());
    expect(() => parseOpenMetrics(good.replace('# EOF\n', ''))).toThrow(/EOF/);
    expect(() => parseOpenMetrics(good.replace('scenario="window-kill"', 'scenario="window"kill"'))).toThrow(/label/);
    expect(() => parseOpenMetrics(good.replace('# UNIT faultline_scenario_rto_p95_seconds seconds', '# UNIT faultline_scenario_rto_p95_seconds ms'))).toThrow(/unit/);
    expect(() => parseOpenMetrics(`${good.split('# EOF')[0]}faultline_scenario_recovered{scenario="late"} 1\n# EOF\n`)).toThrow(/outside its family/);
  });

  test('the file is written whole (temp file and rename), as the textfile collector requires', () => {
    const file = join(dir, 'faultline.prom');
    writeMetricsFile(file, createSummary());
    expect(readFileSync(file, 'utf8')).toBe(renderOpenMetrics(createSummary()));
    expect(readdirSync(dir)).toEqual(['faultline.prom']);
  });
});
