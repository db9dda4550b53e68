// How the terminal writes figures: one unit per kind (TTD in ms, RTO in s), and short gate lines.
import type { ScenarioSummary } from '../analyse/summary-schema.js';

/** A time to detect, always in milliseconds: "61.7 ms", "2391.1 ms", "—". */
export function formatTtd(ms: number | null | undefined): string {
  return isFigure(ms) ? `${Number(ms.toFixed(1))} ms` : '—';
}

/** A time to recover, always in seconds: "2.39 s", "0.045 s", "—". */
export function formatRto(ms: number | null | undefined): string {
  if (!isFigure(ms)) return '—';
  const seconds = ms / 1000;
  return `${Math.abs(seconds) < 1 ? seconds.toFixed(3) : seconds.toFixed(2)} s`;
}

/** A target as the scenario wrote it, in the unit of its figure: "2 s", "1000 ms". */
export function formatTarget(ms: number, unit: 'ms' | 's'): string {
  return unit === 's' ? `${Number((ms / 1000).toFixed(3))} s` : `${Number(ms.toFixed(1))} ms`;
}

/** A resolution window, in milliseconds like the figures it qualifies at this scale: "± 11.3 ms". */
export function formatWindow(ms: number | null | undefined): string {
  return isFigure(ms) ? `${Number(ms.toFixed(1))} ms` : '—';
}

/** One short line per expectation: "✓ recovered 3/3", "✗ RTO p95 2.39 s > target 2 s". */
export function formatGateLines(summary: ScenarioSummary): { met: boolean | undefined; text: string }[] {
  return summary.checks.map((check) => {
    const met = check.status === 'untested' ? undefined : check.status === 'met';
    return { met, text: describeCheck(summary, check.name, met) ?? `${check.name}: ${check.measured} (${check.expected})` };
  });
}

function describeCheck(summary: ScenarioSummary, name: string, met: boolean | undefined): string | undefined {
  const { stats, expect } = summary;
  const completed = stats.completed;
  if (met === undefined) return `${labelOf(name)}: untested (no completed run)`;
  switch (name) {
    case 'recovered':
      return `recovered ${stats.recovered}/${completed}`;
    case 'ttdMs': {
      if (expect.ttdMs === undefined) return undefined;
      const undetected = summary.runs.filter((run) => run.status === 'completed' && run.ttdMs === null).length;
      const unseen = undetected > 0 ? `, ${undetected} of ${completed} ${completed === 1 ? 'run' : 'runs'} not detected` : '';
      if (!stats.ttdMs) return `TTD: no probe noticed the fault${unseen}`;
      return `TTD p95 ${formatTtd(stats.ttdMs.p95)} ${stats.ttdMs.p95 > expect.ttdMs ? '>' : '≤'} target ${formatTarget(expect.ttdMs, 'ms')}${unseen}`;
    }
    case 'rtoMs': {
      if (expect.rtoMs === undefined) return undefined;
      const unrecovered = summary.runs.filter((run) => run.status === 'completed' && run.rtoMs === null).length;
      if (unrecovered > 0) return `RTO: ${unrecovered} of ${completed} ${completed === 1 ? 'run' : 'runs'} not recovered (target ${formatTarget(expect.rtoMs, 's')})`;
      const p95 = stats.rtoMs?.p95;
      return `RTO p95 ${formatRto(p95)} ${p95 !== undefined && p95 > expect.rtoMs ? '>' : '≤'} target ${formatTarget(expect.rtoMs, 's')}`;
    }
    case 'dataLoss': {
      if (expect.dataLoss === undefined) return undefined;
      const worst = Math.max(0, ...summary.runs.map((run) => run.dataLoss?.lost ?? 0));
      const measured = summary.runs.some((run) => run.dataLoss !== null);
      return measured ? `data loss ${worst} ${worst > expect.dataLoss ? '>' : '≤'} ${expect.dataLoss} (worst run)` : 'data loss: no canary measured it';
    }
    default:
      return undefined;
  }
}

function labelOf(name: string): string {
  return ({ recovered: 'recovered', ttdMs: 'TTD', rtoMs: 'RTO', dataLoss: 'data loss' } as Record<string, string>)[name] ?? name;
}

function isFigure(ms: number | null | undefined): ms is number {
  return ms !== null && ms !== undefined && Number.isFinite(ms);
}
