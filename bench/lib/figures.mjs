// Small helpers of the benchmarks: percentiles and plain-text tables.

/** Nearest-rank p50 / p95 / max of numbers (null when there are none). */
export function getPercentiles(values) {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const at = (p) => sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
  return { p50: at(50), p95: at(95), max: sorted.at(-1), n: sorted.length };
}

/** "p50 / p95 / max" of a percentile triple, in ms with one decimal. */
export function formatTriple(figures) {
  if (!figures) return '—';
  return `${figures.p50.toFixed(1)} / ${figures.p95.toFixed(1)} / ${figures.max.toFixed(1)}`;
}

/** "p50 [min, max]" of signed errors, in ms with one decimal ('—' when there are none). */
export function formatSigned(errors) {
  const figures = getPercentiles(errors);
  return figures ? `${figures.p50.toFixed(1)} [${Math.min(...errors).toFixed(1)}, ${figures.max.toFixed(1)}]` : '—';
}

/** Prints rows as an aligned table under a header. */
export function printTable(header, rows) {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => String(row[column]).length)));
  const line = (cells) => cells.map((cell, column) => String(cell).padEnd(widths[column])).join('  ');
  console.log(line(header));
  console.log(widths.map((width) => '-'.repeat(width)).join('  '));
  for (const row of rows) console.log(line(row));
}
