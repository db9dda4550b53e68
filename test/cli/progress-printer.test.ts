// The terminal lines of a run say only what faultline did: "up in" for a target it started, a healer
// only for a run whose target has one.
import { PassThrough } from 'node:stream';
import { describe, expect, test } from 'vitest';
import type { Summary } from '../../src/analyse/summary-schema.js';
import { createProgressPrinter, printSummaryTable } from '../../src/cli/progress-printer.js';

function capture(write: (out: PassThrough) => void): string {
  const out = new PassThrough();
  let text = '';
  out.on('data', (chunk) => (text += String(chunk)));
  write(out);
  return text;
}


describe('progress printer', () => {
  test('"up in" only for a target faultline started', () => {
    const opened = capture((out) => createProgressPrinter(out)({ t: 0, type: 'target.up', scenario: 's', label: 'supervised (/srv)', description: {}, ms: 40, managed: false }));
    expect(opened).not.toMatch(/up in/);
    expect(opened).toMatch(/not started by faultline/);
    const started = capture((out) => createProgressPrinter(out)({ t: 0, type: 'target.up', scenario: 's', label: 'reference (/tmp/x)', description: {}, ms: 40, managed: true }));
    expect(started).toMatch(/up in 40/);
  });

  test('the closing line names the healer only when a target has one', () => {
    const summary = { scenarios: [], verdict: 'pass', exitCode: 0, options: { heal: true, gate: false }, durationMs: 10, targets: [{ name: 'supervised', driver: 'supervisord' }] } as unknown as Summary;
    expect(capture((out) => printSummaryTable(summary, out))).not.toMatch(/healer/);
    const reference = { ...summary, targets: [{ driver: 'reference', heal: { intervalMs: 100, delayMs: 0 } }] } as unknown as Summary;
    expect(capture((out) => printSummaryTable(reference, out))).toMatch(/healer on/);
  });
});
