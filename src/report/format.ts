// How figures read in every report format: durations, figures with their resolution, percentages.

/** Milliseconds for people: "312.4 ms", "4.20 s", "—" when there is no figure. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (Math.abs(ms) < 1000) return `${Number(ms.toFixed(1))} ms`;
  if (Math.abs(ms) < 120_000) return `${(ms / 1000).toFixed(2)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A figure with its uncertainty: "1.20 s ± 310 ms". */
export function formatWithResolution(ms: number | null | undefined, resolutionMs: number | null | undefined): string {
  if (ms === null || ms === undefined) return '—';
  return resolutionMs ? `${formatDuration(ms)} ± ${formatDuration(resolutionMs)}` : formatDuration(ms);
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
  if (word === 'aborted' || word === 'untested') return 'warn';
  return 'muted';
}
