// The gate: compares a scenario's measured figures with its `expect` block.
import type { Expect } from '../scenario/types.js';
import type { Check, RunSummary, ScenarioSummary } from './summary-schema.js';
import type { Percentiles } from '../measure/stats.js';
import { pluralize } from '../util/plural.js';

const formatMs = (ms: number | null | undefined) => (ms === null || ms === undefined ? '—' : `${Math.round(ms * 10) / 10} ms`);

// " (resolution ≤ 2.1 ms)": the widest window of a figure over the runs, so a reader sees how exact the p95 is.
// " (resolution ≤ 5 ms)": the widest window of the figure over the runs (already in the stats).
function formatResolution(widest: number | null | undefined): string {
  return widest === null || widest === undefined ? '' : ` (resolution ≤ ${formatMs(widest)})`;
}

// "; lost items sent 12–340 ms after t0": when the lost items were sent, over the runs that lost any.
function formatLossWindow(runs: readonly RunSummary[]): string {
  const windows = runs.map((run) => run.dataLoss?.window).filter((window) => window !== null && window !== undefined);
  if (windows.length === 0) return '';
  const from = Math.min(...windows.map((window) => window.fromMs));
  const to = Math.max(...windows.map((window) => window.toMs));
  return `; lost items sent ${Math.round(from)}–${Math.round(to)} ms after t0`;
}

/** Evaluates every expectation against the completed runs; "untested" when no run completed. */
export function evaluateExpectations(expect: Expect, runs: readonly RunSummary[], stats: { ttdMs: Percentiles | null; rtoMs: Percentiles | null; ttdResolutionMs?: number | null; rtoResolutionMs?: number | null }): Check[] {
  const completed = runs.filter((run) => run.status === 'completed');
  const untested = completed.length === 0;
  const checks: Check[] = [];
  const add = (name: string, expected: string, measured: string, met: boolean) =>
    checks.push({ name, expected, measured: untested ? 'no completed run' : measured, status: untested ? 'untested' : met ? 'met' : 'not met' });

  if (expect.recovered ?? true) {
    const recovered = completed.filter((run) => run.recovered).length;
    add('recovered', `every run recovers within its timeout`, `${recovered}/${completed.length} runs recovered`, recovered === completed.length);
  }
  if (expect.ttdMs !== undefined) {
    // A run the target repaired before any probe saw the fault has no TTD; it does not fail the
    // budget, but a fault no probe noticed in any run does (the FMEA rates that D = 10).
    const undetected = completed.filter((run) => run.ttdMs === null);
    const repairedUnseen = undetected.filter((run) => run.recovered).length;
    const note = undetected.length > 0 ? `; ${pluralize(undetected.length, 'run')} not detected${repairedUnseen ? ` (${repairedUnseen} repaired before any probe saw it)` : ''}` : '';
    const met = stats.ttdMs !== null && stats.ttdMs.p95 <= expect.ttdMs && undetected.length === repairedUnseen;
    add('ttdMs', `p95 ≤ ${formatMs(expect.ttdMs)}`, stats.ttdMs ? `p95 ${formatMs(stats.ttdMs.p95)}${formatResolution(stats.ttdResolutionMs)}${note}` : `no probe noticed the fault${note}`, met);
  }
  if (expect.rtoMs !== undefined) {
    const unrecovered = completed.filter((run) => run.rtoMs === null).length;
    add('rtoMs', `p95 ≤ ${formatMs(expect.rtoMs)}`, unrecovered > 0 ? `${pluralize(unrecovered, 'run')} not recovered` : `p95 ${formatMs(stats.rtoMs?.p95)}${formatResolution(stats.rtoResolutionMs)}`, unrecovered === 0 && stats.rtoMs !== null && stats.rtoMs.p95 <= expect.rtoMs);
  }
  if (expect.dataLoss !== undefined) {
    const worst = Math.max(0, ...completed.map((run) => run.dataLoss?.lost ?? 0));
    const measuredAny = completed.some((run) => run.dataLoss !== null);
    add('dataLoss', `≤ ${expect.dataLoss} lost`, measuredAny ? `${worst} lost (worst run)${formatLossWindow(completed)}` : 'no canary measured it', measuredAny && worst <= expect.dataLoss);
  }
  return checks;
}

/**
 * A scenario's verdict: error or aborted runs first; skipped when no run could start on a target an
 * earlier run left broken; then the checks; a scenario that expects not to recover (expect.recovered:
 * false) and indeed did not is a known gap, never a pass.
 */
export function getScenarioVerdict(runs: readonly RunSummary[], checks: readonly Check[], expect: Expect = {}): ScenarioSummary['verdict'] {
  if (runs.some((run) => run.status === 'error')) return 'error';
  if (runs.length === 0 || runs.some((run) => run.status === 'aborted')) return 'aborted';
  if (runs.some((run) => run.rollback !== null && !run.rollback.ok)) return 'error';
  const completed = runs.filter((run) => run.status === 'completed');
  if (completed.length === 0) return 'skipped';
  if (!checks.every((check) => check.status === 'met')) return 'fail';
  return expect.recovered === false && completed.some((run) => !run.recovered) ? 'known-gap' : 'pass';
}
