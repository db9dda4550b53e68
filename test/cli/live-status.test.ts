import { afterEach, describe, expect, test, vi } from 'vitest';
import { LiveStatus } from '../../src/cli/live-status.js';
import { createProgressPrinter } from '../../src/cli/progress-printer.js';
import type { ScenarioHead } from '../../src/events/types.js';

// A stream that keeps what was written to it.
function createStream(columns = 80) {
  const chunks: string[] = [];
  return { columns, chunks, write: (text: string) => { chunks.push(text); return true; }, text: () => chunks.join('') };
}

const head: ScenarioHead = { id: 's', title: 't', file: 's.yaml', fault: { type: 'process.kill' }, steadyStateProbes: 1, expect: {}, fmea: null };

afterEach(() => {
  vi.useRealTimers();
});

describe('LiveStatus', () => {
  test('shows the phase with a countdown against its limit, then an ETA once a run has finished', () => {
    const stream = createStream();
    const status = new LiveStatus(stream, 4, 60_000);
    const t = performance.now();
    status.setPhase('kill-session run 1/2', 'recovering', 8000);
    expect(status.describe(t + 3200)).toMatch(/^kill-session run 1\/2 · waiting for recovery 3\.2 s \/ 8\.0 s$/);
    status.countRun();
    status.setPhase('kill-session run 2/2', 'steady-state', 10_000);
    expect(status.describe()).toMatch(/waiting for the steady state 0\.0 s \/ 10\.0 s · ETA \d+ s \(3 of 4 runs left\)$/);
    status.setPhase('kill-session run 2/2', 'rolling-back');
    expect(status.describe()).toMatch(/rolling back \d\.\d s/);
    status.stop();
    expect(stream.text().endsWith('\r\u001b[2K')).toBe(true);
  });

  test('the printer erases the live line before each line it prints, and draws nothing without `live`', () => {
    const live = createStream();
    const printer = createProgressPrinter(live as never, { live: true, totalRuns: 2 });
    printer({ t: 0, type: 'run.phase', scenario: 's', run: 1, phase: 'recovering', limitMs: 8000 });
    printer({ t: 0, type: 'scenario.start', scenario: 's', title: 't', file: 's.yaml', fault: { type: 'process.kill' }, runs: 1, timeoutMs: 1000, position: 1, total: 1, head });
    printer.stop();
    const text = live.text();
    expect(text).toMatch(/waiting for recovery 0\.\d s \/ 8\.0 s/);
    expect(text).toMatch(/\r\u001b\[2K\n▶ \[1\/1\]/);

    const piped = createStream();
    const quiet = createProgressPrinter(piped as never);
    quiet({ t: 0, type: 'run.phase', scenario: 's', run: 1, phase: 'recovering', limitMs: 8000 });
    quiet.stop();
    expect(piped.text()).toBe('');
  });
});
