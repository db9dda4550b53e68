// Benchmark: renders a report for 1,000 worksheet rows and 200 runs (cold, in a fresh process) and checks
// it takes at most 2 s and writes at most 3 MB of HTML. Run with `npm run bench:report` (builds first).
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createReportFixture } from './report-fixture.mjs';

const LIMIT_MS = 2000;
const LIMIT_BYTES = 3 * 1024 * 1024;

const { writeReportFiles } = await import('../dist/report/write-reports.js');
const { DEFAULT_FMEA_CONFIG } = await import('../dist/fmea/schema/config.js');
const { summary, rows, journal } = createReportFixture({ rows: 1000, scenarios: 40, runsPerScenario: 5 });
const input = { summary, journal, history: [summary], worksheet: { rows, files: [] }, fmeaConfig: DEFAULT_FMEA_CONFIG, notes: [], generatedAt: new Date('2026-11-02T00:00:00Z') };
const runs = summary.scenarios.reduce((sum, scenario) => sum + scenario.runs.length, 0);

const out = mkdtempSync(join(tmpdir(), 'faultline-bench-report-'));
try {
  const timings = [];
  for (let round = 0; round < 3; round += 1) {
    const start = performance.now();
    const written = await writeReportFiles(input, out, { stepSummary: null });
    timings.push({ ms: performance.now() - start, bytes: statSync(written.html).size });
  }
  const [cold, ...warm] = timings;
  const warmMs = Math.min(...warm.map((timing) => timing.ms));
  console.log(`report: ${rows.length} worksheet rows, ${summary.scenarios.length} scenarios, ${runs} runs`);
  console.log(`render (cold, vega loaded on first use): ${cold.ms.toFixed(0)} ms   (limit ${LIMIT_MS} ms)`);
  console.log(`render (warm, best of ${warm.length}):           ${warmMs.toFixed(0)} ms`);
  console.log(`index.html: ${(cold.bytes / 1024 / 1024).toFixed(2)} MB (${cold.bytes} bytes)   (limit 3 MB)`);
  const ok = cold.ms <= LIMIT_MS && cold.bytes <= LIMIT_BYTES;
  console.log(ok ? 'bench:report within budget' : 'bench:report OVER BUDGET');
  process.exitCode = ok ? 0 : 1;
} finally {
  rmSync(out, { recursive: true, force: true });
}
