// `claims import` on seeds 001 and 004: every row of their claim tables and every headline target, with file:line.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { extractClaims } from '../../src/claims/extract-claims.js';
import { parseBound } from '../../src/claims/parse-bound.js';
import { runClaimsImport } from '../../src/claims/run-import.js';
import { loadClaimsFile } from '../../src/claims/claims-file.js';
import { evaluateClaims } from '../../src/claims/evaluate-claims.js';
import { buildClaimsView } from '../../src/report/view/claims.js';
import type { Summary } from '../../src/analyse/summary-schema.js';
import type { ScoredWorksheet } from '../../src/fmea/index.js';

const seeds = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));
const hasSeeds = existsSync(`${seeds}001_a0e0c679a4ee87bd.txt`);
const lines = (name: string) => readFileSync(`${seeds}${name}`, 'utf8').split('\n');

// Line numbers of the body rows of the table under a heading (the test's own reading, not the code's).
function tableRowLines(name: string, heading: string): number[] {
  const all = lines(name);
  const start = all.findIndex((line) => line.startsWith(heading));
  const rows: number[] = [];
  for (let i = start + 1; i < all.length; i++) {
    if (all[i]!.startsWith('|')) rows.push(i + 1);
    else if (rows.length > 0) break;
  }
  return rows.slice(2);
}
const linesMatching = (name: string, pattern: RegExp) => lines(name).flatMap((line, index) => (pattern.test(line) ? [index + 1] : []));

describe.skipIf(!hasSeeds)('claims import on the seeds', () => {
  it('seed 001: the RTO and RPO tables row by row, and each procedure’s Recovery Time Target', () => {
    const name = '001_a0e0c679a4ee87bd.txt';
    const expected = [
      ...tableRowLines(name, '### Recovery Time Objectives (RTO)'),
      ...tableRowLines(name, '### Recovery Point Objectives (RPO)'),
      ...linesMatching(name, /^Recovery Time Target: /),
    ].sort((a, b) => a - b);
    expect(expected).toHaveLength(6 + 5 + 6);
    const { claims } = extractClaims(name, lines(name).join('\n'));
    expect(claims.map((claim) => claim.source)).toEqual(expected.map((line) => `${name}:${line}`));
    expect(claims.find((claim) => claim.source === `${name}:540`)).toEqual({
      id: 'rto-atomic-rollback', text: 'Atomic Rollback: RTO <60s', metric: 'rto', bound: { text: '<60s', maxMs: 60_000 }, source: `${name}:540`,
    });
    expect(claims.find((claim) => claim.source === `${name}:551`)).toMatchObject({ metric: 'data-loss', bound: { text: '0 data loss', maxLost: 0 } });
    expect(claims.find((claim) => claim.source === `${name}:555`)).toMatchObject({ metric: 'rpo', bound: { maxMs: 60_000 } });
  });

  it('seed 004: the headline targets, "RTO by Failure Scenario" and "RPO by State Component"', () => {
    const name = '004_098b57c6cf46101a.txt';
    const expected = [
      ...linesMatching(name, /^\*\*Target (RTO|RPO)\*\*: /),
      ...tableRowLines(name, '### 4.1 RTO by Failure Scenario'),
      ...tableRowLines(name, '### 5.1 RPO by State Component'),
    ];
    expect(expected).toHaveLength(2 + 8 + 6);
    const { claims } = extractClaims(name, lines(name).join('\n'));
    expect(claims.map((claim) => claim.source)).toEqual(expected.map((line) => `${name}:${line}`));
    expect(claims[0]).toMatchObject({ id: 'rto-target', metric: 'rto', bound: { text: '< 5 minutes', maxMs: 300_000 } });
    expect(claims[1]).toMatchObject({ id: 'rpo-target', metric: 'rpo', bound: { maxMs: 60_000 } });
    expect(claims.find((claim) => claim.id === 'rto-network-partition')).toMatchObject({ bound: { text: '10-30 sec', maxMs: 30_000 } });
  });

  it('writes a claims.yaml that loads back against its schema', () => {
    const dir = mkdtempSync(join(tmpdir(), 'faultline-claims-'));
    try {
      const out = join(dir, 'claims.yaml');
      let warned = '';
      expect(runClaimsImport({ doc: `${seeds}004_098b57c6cf46101a.txt`, out, warn: (text) => { warned += text; } })).toBe(0);
      expect(warned).toMatch(/^wrote 16 claims: 14 in 2 tables, 2 stated in prose/);
      const file = loadClaimsFile(out);
      expect(file.kind).toBe('claims');
      expect(file.claims).toHaveLength(16);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('bounds', () => {
  it('reads the figures documents write', () => {
    expect(parseBound('<60s').maxMs).toBe(60_000);
    expect(parseBound('< 100 ms').maxMs).toBe(100);
    expect(parseBound('5-10 min').maxMs).toBe(600_000);
    expect(parseBound('<10s (claimed)').maxMs).toBe(10_000);
    expect(parseBound('0 data loss')).toEqual({ text: '0 data loss', maxLost: 0 });
    expect(parseBound('Not specified')).toEqual({ text: 'Not specified' });
    expect(parseBound('Immediate (cleanup on next timer tick)').maxMs).toBeUndefined();
  });
});

// A summary with the fields claims read; the rest of a real summary does not matter here.
function fakeSummary(runId: string, scenarios: { id: string; claims?: string[]; rtoP95?: number; completed?: number; recovered?: number; lost?: number | null }[]): Summary {
  return {
    runId, startedAt: '2026-12-01T00:00:00.000Z',
    scenarios: scenarios.map((scenario) => ({
      id: scenario.id, title: scenario.id, file: `${scenario.id}.yaml`, verdict: 'pass', checks: [], runs: [],
      ...(scenario.claims ? { claims: scenario.claims } : {}),
      stats: {
        ttdMs: null, rtoMs: scenario.rtoP95 === undefined ? null : { p50: scenario.rtoP95, p95: scenario.rtoP95, max: scenario.rtoP95 },
        completed: scenario.completed ?? 3, recovered: scenario.recovered ?? scenario.completed ?? 3,
        dataLoss: scenario.lost === undefined || scenario.lost === null ? null : { lost: scenario.lost, sent: 10, rejected: 0 },
      },
    })),
  } as unknown as Summary;
}

describe('claims against runs', () => {
  const claims = [
    { id: 'rto-fast', text: 'Fast: RTO <1s', metric: 'rto' as const, bound: { text: '<1s', maxMs: 1000 }, source: 'doc.md:3' },
    { id: 'rto-slow', text: 'Slow: RTO <100 ms', metric: 'rto' as const, bound: { text: '<100 ms', maxMs: 100 }, source: 'doc.md:4' },
    { id: 'data-loss-none', text: 'No loss', metric: 'data-loss' as const, bound: { text: '0 data loss', maxLost: 0 }, source: 'doc.md:5' },
    { id: 'rto-nobody', text: 'Nobody tests this', metric: 'rto' as const, bound: { text: '<5s', maxMs: 5000 }, source: 'doc.md:6' },
  ];
  const summary = fakeSummary('run-1', [{ id: 'kill', claims: ['rto-fast', 'rto-slow', 'data-loss-none'], rtoP95: 740, lost: 0 }]);

  it('held, broken and untested, with the measured p95 and the runs', () => {
    const results = evaluateClaims(claims, [summary]);
    expect(results.map((result) => [result.claim.id, result.status, result.measured])).toEqual([
      ['rto-fast', 'held', '0.74 s p95 (3 runs)'],
      ['rto-slow', 'broken', '0.74 s p95 (3 runs)'],
      ['data-loss-none', 'held', '0 lost (3 runs)'],
      ['rto-nobody', 'untested', ''],
    ]);
    expect(results[3]!.reason).toMatch(/no scenario tests it/);
  });

  it('a scenario that did not recover breaks its RTO claim whatever the p95', () => {
    const [result] = evaluateClaims([claims[0]!], [fakeSummary('run-2', [{ id: 'kill', claims: ['rto-fast'], rtoP95: 10, completed: 3, recovered: 2 }])]);
    expect(result).toMatchObject({ status: 'broken', measured: 'not recovered in 1 of 3 runs' });
  });

  it('the report’s claims section lists every claim, the untested one too', () => {
    const scored = { rows: [], unrated: [], evidence: [], conflicts: [] } as ScoredWorksheet;
    const view = buildClaimsView(summary, scored, { claims: { claims, files: ['scenarios/claims.yaml'] }, history: [summary] });
    expect(view.documented?.rows.map((row) => [row.id, row.bound, row.measured, row.status])).toEqual([
      ['rto-fast', '<1s', '0.74 s p95 (3 runs)', 'held'],
      ['rto-slow', '<100 ms', '0.74 s p95 (3 runs)', 'broken'],
      ['data-loss-none', '0 data loss', '0 lost (3 runs)', 'held'],
      ['rto-nobody', '<5s', '—', 'untested'],
    ]);
    expect(view.documented?.counts).toEqual({ held: 2, broken: 1, untested: 1 });
    expect(buildClaimsView(summary, scored).documented).toBeNull();
  });
});
