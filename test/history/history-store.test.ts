// The store on its own: what a folder is indexed as (a summary, a killed run's journal, a skip record),
// notes with their authors, filters by scenario, date and kind, a rebuild that drops folders gone, and
// the baseline comparison on its figures.
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { openHistory } from '../../src/history/open-history.js';
import { listHistoryRuns } from '../../src/history/query-history.js';
import { rebuildHistory } from '../../src/history/rebuild-history.js';
import { compareWithBaseline, getMedian } from '../../src/history/baseline-gate.js';
import { writeSkippedRun } from '../../src/history/skipped-run.js';
import { listIndexedRunDirs } from '../../src/history/indexed-run-dirs.js';

let reports: string;
beforeEach(() => { reports = mkdtempSync(join(tmpdir(), 'faultline-history-store-')); });
afterEach(() => rmSync(reports, { recursive: true, force: true }));

// A summary.json as a run writes it, trimmed to what the store reads.
function writeRun(runId: string, startedAt: string, scenarios: { id: string; recovered: number; completed: number; rtoP95: number | null }[], journal: object[] = []): void {
  const dir = join(reports, runId);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify({
    schemaVersion: 1, runId, verdict: 'pass', exitCode: 0, startedAt, finishedAt: startedAt, durationMs: 1000,
    options: { heal: true, gate: true }, environment: { faultline: '0.1.0', node: 'v20', host: 'h', platform: 'linux' }, targets: [],
    scenarios: scenarios.map((scenario) => ({
      id: scenario.id, title: scenario.id, file: `${scenario.id}.yaml`, verdict: 'pass', reasons: [], configuration: 'reference orchestrator, healer on',
      fault: { type: 'tmux.kill-window' }, resolutionMs: 5, steadyStateProbes: 1, expect: {}, checks: [], fmea: null,
      runs: Array.from({ length: scenario.completed }, (_, index) => ({ index: index + 1, status: 'completed', recovered: index < scenario.recovered, detected: true, ttdMs: 10, rtoMs: index < scenario.recovered ? scenario.rtoP95 : null, resolutionMs: 5, dataLoss: null, targetSignals: [] })),
      stats: { ttdMs: { p50: 10, p95: 10, max: 10 }, rtoMs: scenario.rtoP95 === null ? null : { p50: scenario.rtoP95, p95: scenario.rtoP95, max: scenario.rtoP95 }, recovered: scenario.recovered, completed: scenario.completed },
    })),
  }));
  if (journal.length) writeFileSync(join(dir, 'journal.jsonl'), journal.map((event) => JSON.stringify(event)).join('\n') + '\n');
}

describe('history store', () => {
  test('a rebuild indexes summaries, a killed run from its journal and skip records; filters pick by scenario, date and kind', async () => {
    writeRun('20261101-100000-aaaa', '2026-11-01T10:00:00.000Z', [{ id: 'a', recovered: 3, completed: 3, rtoP95: 100 }, { id: 'b', recovered: 1, completed: 1, rtoP95: 50 }],
      [{ t: 1, type: 'note', message: 'facilitator: the pager fired', author: 'dana' }]);
    writeRun('20261115-100000-bbbb', '2026-11-15T10:00:00.000Z', [{ id: 'b', recovered: 0, completed: 1, rtoP95: null }]);
    // A run killed before summary.json: the journal's run.start is all the store needs to list it.
    mkdirSync(join(reports, '20261120-100000-cccc'));
    writeFileSync(join(reports, '20261120-100000-cccc', 'journal.jsonl'), `${JSON.stringify({ t: Date.parse('2026-11-20T10:00:00Z'), type: 'run.start', runId: '20261120-100000-cccc', runDir: join(reports, '20261120-100000-cccc'), faultline: '0.1.0', scenarios: ['a'], options: { heal: true, gate: false }, startedAt: '2026-11-20T10:00:00.000Z' })}\n`);
    writeSkippedRun(reports, { kind: 'skipped', runId: '20261130-100000-dddd', plan: '/p/gameday.yaml', title: 'Plan', at: '2026-11-30T10:00:00.000Z', reason: 'the previous scheduled run of this plan is still going' });
    // Not a run folder: ignored.
    mkdirSync(join(reports, 'stray'));

    const { db } = openHistory(join(reports, 'history.db'));
    try {
      const result = await rebuildHistory(db, reports);
      expect(result.indexed.map((entry) => entry.kind).sort()).toEqual(['run', 'run', 'run', 'skipped']);
      const all = listHistoryRuns(db);
      expect(all.map((run) => run.runId)).toEqual(['20261130-100000-dddd', '20261120-100000-cccc', '20261115-100000-bbbb', '20261101-100000-aaaa']);
      expect(all[3]!.notes).toEqual([{ author: 'dana', scenario: null, message: 'facilitator: the pager fired' }]);
      expect(listHistoryRuns(db, { scenario: 'b' }).map((run) => run.runId)).toEqual(['20261115-100000-bbbb', '20261101-100000-aaaa']);
      expect(listHistoryRuns(db, { since: '2026-11-15', until: '2026-11-20' }).map((run) => run.runId)).toEqual(['20261120-100000-cccc', '20261115-100000-bbbb']);
      expect(listHistoryRuns(db, { kind: 'skipped' })[0]).toMatchObject({ verdict: 'skipped', reason: 'the previous scheduled run of this plan is still going', title: 'Plan' });
      expect(all[0]!.scenarios).toEqual([]);

      // A folder that is gone is gone from the store after the next rebuild.
      rmSync(join(reports, '20261115-100000-bbbb'), { recursive: true });
      cpSync(join(reports, '20261101-100000-aaaa'), join(reports, '20261101-100000-aaaa-copy'), { recursive: true });
      await rebuildHistory(db, reports);
      // The copy carries the same run id: it replaces, never duplicates.
      expect(listHistoryRuns(db).map((run) => run.runId)).toEqual(['20261130-100000-dddd', '20261120-100000-cccc', '20261101-100000-aaaa']);
    } finally {
      db.close();
    }
    // `fmea score --history` takes the measured runs with a summary as evidence, never a skip.
    expect(await listIndexedRunDirs(join(reports, 'history.db'))).toEqual([join(reports, '20261101-100000-aaaa-copy')]);
  });

  test('the baseline: slower beyond margin plus resolution regresses, within it does not; losing recovery regresses; no history is no baseline', () => {
    const earlier = [100, 120, 80, 110, 90].map((rto, index) => ({ runId: `r${index}`, startedAt: '', configuration: 'c', verdict: 'pass', completed: 1, recovered: 1, rtoP95Ms: rto, expectRtoMs: null, severity: null, fmeaId: null, title: null }));
    expect(getMedian([100, 120, 80, 110, 90])).toBe(100);
    const options = { runs: 5, margin: 0.5 };
    const base = { scenario: 's', configuration: 'c', completed: 1, recovered: 1, resolutionMs: 20 };
    expect(compareWithBaseline({ ...base, rtoP95Ms: 169 }, earlier, options).status).toBe('ok'); // threshold 100 × 1.5 + 20 = 170
    const slow = compareWithBaseline({ ...base, rtoP95Ms: 1000 }, earlier, options);
    expect(slow).toMatchObject({ status: 'regressed', kind: 'rto', medianRtoP95Ms: 100, thresholdMs: 170 });
    expect(slow.message).toMatch(/^s: RTO p95 1 s exceeds the median of its last 5 results \(100 ms\) by 900 %/);
    expect(compareWithBaseline({ ...base, recovered: 0, rtoP95Ms: null }, earlier, options)).toMatchObject({ status: 'regressed', kind: 'recovery' });
    // Never recovered before either: not a regression (the absolute gate reports it).
    const neverRecovered = earlier.map((result) => ({ ...result, recovered: 0, rtoP95Ms: null }));
    expect(compareWithBaseline({ ...base, recovered: 0, rtoP95Ms: null }, neverRecovered, options).status).toBe('ok');
    expect(compareWithBaseline({ ...base, rtoP95Ms: 1000 }, [], options).status).toBe('no baseline');
  });
});
