// Percentiles over repeated runs.

/** p50 / p95 / max of a set of figures (ms). */
export interface Percentiles {
  p50: number;
  p95: number;
  max: number;
}

/** Nearest-rank percentile of sorted values (p in 0–100). */
export function getPercentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('percentile of an empty set');
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

/** p50 / p95 / max of the numbers given, or null when there are none. */
export function summarizeFigures(values: readonly (number | null | undefined)[]): Percentiles | null {
  const sorted = values.filter((value): value is number => typeof value === 'number').sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  return { p50: getPercentile(sorted, 50), p95: getPercentile(sorted, 95), max: sorted[sorted.length - 1]! };
}
