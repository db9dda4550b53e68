// A large, deterministic report input: N worksheet rows, S scenarios × R runs (for the report benchmark and tests).

/** Deterministic pseudo-random numbers (LCG) so every run of the benchmark renders the same report. */
function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

const AP_TABLE = [
  ['HHHH', 'HHHH', 'HHHM', 'HMLL', 'LLLL'],
  ['HHHH', 'HHHM', 'HMMM', 'MMLL', 'LLLL'],
  ['HHMM', 'MMML', 'MLLL', 'LLLL', 'LLLL'],
  ['MMLL', 'LLLL', 'LLLL', 'LLLL', 'LLLL'],
  ['LLLL', 'LLLL', 'LLLL', 'LLLL', 'LLLL'],
];
// Same bands as docs/fmea.md (the fixture must not depend on the code it benchmarks).
function getAp(s, o, d) {
  const sb = [4, 3, 3, 2, 2, 2, 1, 1, 0, 0][s - 1];
  const ob = [4, 3, 3, 2, 2, 1, 1, 0, 0, 0][o - 1];
  const db = [3, 2, 2, 2, 1, 1, 0, 0, 0, 0][d - 1];
  return AP_TABLE[sb][ob][db];
}

/**
 * Builds { summary, rows, journal }: `rows` worksheet rows (the first `scenarios` of them exercised),
 * `scenarios` scenarios with `runsPerScenario` runs each. `text(kind, i)` may replace every free-text field.
 */
export function createReportFixture({ rows = 1000, scenarios = 40, runsPerScenario = 5, seed = 7, text } = {}) {
  const random = createRandom(seed);
  const rating = () => 1 + Math.floor(random() * 10);
  const say = (kind, i, fallback) => (text ? text(kind, i) : fallback);
  const id = (i) => `FM-${String(i + 1).padStart(4, '0')}`;
  const worksheetRows = Array.from({ length: rows }, (_, i) => ({
    id: id(i),
    component: say('component', i, `component ${i % 37}`),
    failureMode: say('failureMode', i, `failure mode ${i + 1} of the component`),
    effect: say('effect', i, `effect on users ${i % 11}`),
    cause: say('cause', i, `cause ${i % 13}`),
    severity: rating(), occurrence: rating(), detection: rating(),
    ...(i % 5 === 0 ? { recommendedAction: say('action', i, 'add a health check'), owner: say('owner', i, 'platform team'), status: 'open' } : {}),
    source: say('source', i, `fixture.yaml:${i + 8}`),
  }));
  const start = Date.parse('2026-11-01T10:00:00Z');
  const scenarioSummaries = Array.from({ length: scenarios }, (_, i) => {
    const row = worksheetRows[i];
    const expect = { recovered: true, ttdMs: 1000, rtoMs: 5000, ...(i % 4 === 0 ? { dataLoss: 0 } : {}) };
    const runs = Array.from({ length: runsPerScenario }, (_, r) => {
      const recovered = random() > 0.1;
      const ttdMs = Math.round(random() * 900 * 10) / 10;
      const rtoMs = recovered ? Math.round((ttdMs + 200 + random() * 6000) * 10) / 10 : null;
      const t0 = start + i * 60_000 + r * 10_000;
      return {
        index: r + 1, status: 'completed', recovered, detected: true, ttdMs, rtoMs, resolutionMs: 150 + Math.round(random() * 100),
        timeoutMs: 10_000, detectedBy: say('detectedBy', i, `tmux.session sess-${i}`), t0, steadyStateProbes: 3, probesFailed: 1 + (r % 3),
        dataLoss: i % 4 === 0 ? { lost: r % 3 === 0 ? 2 : 0, sent: 20, window: r % 3 === 0 ? { fromMs: 120, toMs: 900 } : null } : null,
        rollback: { ok: true, detail: say('rollback', i, 'restored (sha256 matches)') },
        targetSignals: [
          { t: t0 + ttdMs + 40, offsetMs: ttdMs + 40, event: say('signalEvent', i, 'detect'), component: say('signalComponent', i, 'healer'), subject: say('signalSubject', i, `sess-${i}`) },
          ...(recovered ? [{ t: t0 + rtoMs - 50, offsetMs: rtoMs - 50, event: 'repair', component: 'healer', detail: say('signalDetail', i, 're-created') }] : []),
        ],
        ...(r === 0 && text ? { reason: say('reason', i, '') } : {}),
      };
    });
    const completed = runs.filter((run) => run.status === 'completed');
    const stat = (values) => {
      const sorted = values.filter((value) => value !== null).sort((a, b) => a - b);
      if (sorted.length === 0) return null;
      const at = (p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
      return { p50: at(50), p95: at(95), max: sorted.at(-1) };
    };
    const stats = { ttdMs: stat(runs.map((run) => run.ttdMs)), rtoMs: stat(runs.map((run) => run.rtoMs)), recovered: runs.filter((run) => run.recovered).length, completed: completed.length };
    const unrecovered = runs.length - stats.recovered;
    const checks = [
      { name: 'recovered', expected: say('checkExpected', i, 'every run recovers within its timeout'), measured: say('checkMeasured', i, `${stats.recovered}/${runs.length} runs recovered`), status: unrecovered ? 'not met' : 'met' },
      { name: 'ttdMs', expected: 'p95 ≤ 1000 ms', measured: `p95 ${stats.ttdMs.p95} ms`, status: stats.ttdMs.p95 <= 1000 ? 'met' : 'not met' },
      { name: 'rtoMs', expected: 'p95 ≤ 5000 ms', measured: unrecovered ? `${unrecovered} run(s) not recovered` : `p95 ${stats.rtoMs.p95} ms`, status: !unrecovered && stats.rtoMs.p95 <= 5000 ? 'met' : 'not met' },
    ];
    return {
      id: say('scenarioId', i, `scenario-${String(i + 1).padStart(3, '0')}`),
      title: say('title', i, `Scenario ${i + 1}: ${row.failureMode}`),
      file: say('file', i, `scenarios/s-${i + 1}.yaml`),
      verdict: checks.every((check) => check.status === 'met') ? 'pass' : 'fail',
      fault: { type: 'tmux.kill-session', session: say('faultParam', i, `sess-${i}`) },
      resolutionMs: Math.max(...runs.map((run) => run.resolutionMs)),
      steadyStateProbes: 3,
      expect,
      checks,
      fmea: { id: row.id, component: row.component, failureMode: row.failureMode, effect: row.effect, cause: row.cause, severity: row.severity, occurrence: row.occurrence, detection: row.detection, rpn: row.severity * row.occurrence * row.detection, ap: getAp(row.severity, row.occurrence, row.detection) },
      runs,
      stats,
    };
  });
  const summary = {
    schemaVersion: 1,
    runId: say('runId', 0, '20261101-100000-bench'),
    verdict: scenarioSummaries.some((scenario) => scenario.verdict !== 'pass') ? 'fail' : 'pass',
    exitCode: 0,
    startedAt: new Date(start).toISOString(),
    finishedAt: new Date(start + scenarios * 60_000).toISOString(),
    durationMs: scenarios * 60_000,
    options: { heal: true, gate: false },
    environment: { faultline: say('version', 0, '0.1.0'), node: 'v20.20.2', host: say('host', 0, 'bench-host'), platform: 'linux x64' },
    targets: [{ kind: 'reference', dir: say('targetDir', 0, '/tmp/faultline-ref-bench'), heal: true }],
    scenarios: scenarioSummaries,
  };
  const journal = [
    { t: start, type: 'run.start', runId: summary.runId },
    { t: start + 5000, type: 'note', scenario: scenarioSummaries[0].id, run: 2, message: say('note', 0, 'restarting the reference target: the previous run did not recover') },
    { t: start + 9000, type: 'error', scenario: scenarioSummaries[1 % scenarios].id, message: say('error', 0, 'probe timed out') },
  ];
  return { summary, rows: worksheetRows, journal };
}
