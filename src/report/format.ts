// How figures read in every report format: durations, figures with their resolution, percentages.

/** Milliseconds for people: "312.4 ms", "4.20 s", "—" when there is no figure. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${Number(ms.toFixed(1))} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** Why a TTD of exactly 0 is 0: the probe saw the failure before inject returned. */
export const ZERO_TTD_REASON = 'failure seen before inject returned';

/**
 * A figure with its own window. Each figure is the end of a window that holds the moment it names, and no
 * moment is before t0, so the window is one-sided: "≤ 11.3 ms (window 11.3 ms)" when it reaches back to t0,
 * "980 ms–1.20 s (window 220 ms)" otherwise; a TTD of 0 says why.
 */
export function formatWithWindow(ms: number | null | undefined, windowMs: number | null | undefined, options: { zeroReason?: string } = {}): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms === 0 && options.zeroReason) return `0 ms (${options.zeroReason})`;
  if (!windowMs || windowMs <= 0) return formatDuration(ms);
  if (windowMs >= ms) return `≤ ${formatDuration(ms)} (window ${formatDuration(ms)})`;
  return `${formatDuration(ms - windowMs)}–${formatDuration(ms)} (window ${formatDuration(windowMs)})`;
}

/** A window alone, for table columns: "≤ 5.2 ms"; "—" when unknown. */
export function formatWindow(windowMs: number | null | undefined): string {
  if (windowMs === null || windowMs === undefined) return '—';
  return windowMs === 0 ? '0 ms' : `≤ ${formatDuration(windowMs)}`;
}

/** An ISO time as "2026-11-22 19:23:53 UTC"; the input when it does not parse. */
export function formatTimestamp(iso: string | null | undefined): string {
  if (!iso) return '—';
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return `${new Date(time).toISOString().replace('T', ' ').replace(/\.\d+Z$/, '')} UTC`;
}

/** CSS class of a verdict or status word. */
export function getToneClass(word: string): 'ok' | 'bad' | 'warn' | 'muted' {
  if (word === 'pass' || word === 'met' || word === 'yes' || word === 'verified') return 'ok';
  if (word === 'fail' || word === 'not met' || word === 'no' || word === 'rollback-failed' || word === 'error') return 'bad';
  if (word === 'aborted' || word === 'untested' || word === 'known-gap' || word === 'known gap' || word === 'skipped') return 'warn';
  return 'muted';
}
