// A fleet host's agent is another machine's process: whatever its replies say reaches the controller's
// terminal only escaped. A real process speaking the agent protocol answers a run with escape sequences
// in a run's status, reason and rollback detail; the progress printer and the summary table show them
// as visible escapes, and a status outside the schema's becomes an error run.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import type { RunSummary, Summary } from '../../src/analyse/summary-schema.js';
import { getScenarioReasons } from '../../src/analyse/scenario-reasons.js';
import type { AgentRunResult } from '../../src/agent/protocol.js';
import { createProgressPrinter, printSummaryTable } from '../../src/cli/progress-printer.js';
import { AgentConnection } from '../../src/fleet/agent-connection.js';
import { placeRemoteRun } from '../../src/fleet/remote-figures.js';
import { getVersion } from '../../src/util/package-root.js';

const hostile = '\u001b]0;pwned\u0007\u001b[2J\u001b[1;1H✓ all good\r';
const control = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/;

// Answers hello as this faultline, the clock, a run whose runs carry the hostile text, and an empty status.
const AGENT = `
const hostile = ${JSON.stringify(hostile)};
const base = { recovered: false, detected: false, ttdMs: null, rtoMs: null, resolutionMs: 1, ttdResolutionMs: null, rtoResolutionMs: null, timeoutMs: 1000, detectedBy: null, t0: null, steadyStateProbes: 1, probesFailed: 0, dataLoss: null, rollback: null, targetSignals: [] };
const runs = [
  { ...base, index: 1, status: 'skipped', reason: 'skipped ' + hostile },
  { ...base, index: 2, status: 'x' + hostile, reason: 'odd status' },
  { ...base, index: 3, status: 'error', reason: 'error ' + hostile, rollback: { ok: false, detail: 'detail ' + hostile } },
];
let buffer = '';
process.stdin.on('data', (chunk) => {
  buffer += chunk;
  let at;
  while ((at = buffer.indexOf('\\n')) !== -1) {
    const request = JSON.parse(buffer.slice(0, at));
    buffer = buffer.slice(at + 1);
    const answer = (result) => process.stdout.write(JSON.stringify({ id: request.id, ok: true, result }) + '\\n');
    if (request.op === 'hello') answer({ version: process.argv[2], protocol: 1, pid: process.pid, host: 'h' + hostile, stateDir: '/x', deadmanMs: 5000 });
    else if (request.op === 'clock') answer({ t: Date.now() });
    else if (request.op === 'run') answer({ summary: { verdict: 'fail', runs }, runDir: '/r' + hostile, exitCode: 1 });
    else if (request.op === 'status') answer({ openIntents: [], deadman: [] });
    else if (request.op === 'bye') { answer({}); process.exit(0); }
    else answer({});
  }
});
`;

let work: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), 'faultline-review-agent-'));
});
afterEach(() => rmSync(work, { recursive: true, force: true }));

function capture(write: (out: PassThrough) => void): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += String(chunk)));
  write(out);
  return text;
}

describe('a hostile fleet agent', () => {
  test('its runs’ status, reasons and rollback details reach the terminal escaped; an unknown status is an error run', async () => {
    const script = join(work, 'agent.cjs');
    writeFileSync(script, AGENT);
    const connection = await AgentConnection.connect([process.execPath, script, getVersion()], { deadmanMs: 5000, connectTimeoutMs: 20_000, label: 'host h1' });
    let result: AgentRunResult;
    try {
      result = (await connection.request('run', { scenario: {} }, 20_000)) as AgentRunResult;
    } finally {
      await connection.close();
    }
    const runs: RunSummary[] = result.summary.runs.map((run) => placeRemoteRun(run, 'h1', connection.clock));
    expect(runs.map((run) => run.status)).toEqual(['skipped', 'error', 'error']);

    const printed = capture((out) => {
      const printer = createProgressPrinter(out);
      for (const run of runs) printer({ type: 'run.result', t: 0, scenario: 's1', ...run } as never);
    });
    expect(printed).toContain('pwned');
    expect(printed).not.toMatch(control);

    const summary = {
      scenarios: [{ id: 's1', fmea: null, runs, stats: { recovered: 0 }, resolutionMs: 1, verdict: 'fail', reasons: getScenarioReasons('fail', runs, []) }],
      verdict: 'fail', exitCode: 1, options: { heal: false, gate: false }, durationMs: 10, targets: [],
    } as unknown as Summary;
    const table = capture((out) => printSummaryTable(summary, out));
    expect(table).toContain('pwned');
    expect(table).not.toMatch(control);
  }, 60_000);
});
