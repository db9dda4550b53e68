// "Did you mean …?" for misspelt names.

/** Returns the candidate closest to `input`, or undefined when none is close enough to be a typo. */
export function suggestName(input: string, candidates: readonly string[]): string | undefined {
  const lower = input.toLowerCase();
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.toLowerCase() === lower ? 0 : measureEditDistance(lower, name.toLowerCase());
    if (!best || distance < best.distance) best = { name, distance };
  }
  if (!best) return undefined;
  const allowed = Math.max(1, Math.floor(Math.max(input.length, best.name.length) / 3));
  return best.distance <= allowed ? best.name : undefined;
}

/** Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of neighbours. */
export function measureEditDistance(a: string, b: string): number {
  const rows: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => rows[i]?.[j] ?? Number.POSITIVE_INFINITY;
  for (let i = 1; i <= a.length; i += 1) {
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) distance = Math.min(distance, at(i - 2, j - 2) + 1);
      (rows[i] as number[])[j] = distance;
    }
  }
  return at(a.length, b.length);
}

/** "; did you mean "tmux.session"?" when a string value is a likely typo of one of the allowed values; else "". */
export function suggestValue(found: unknown, allowed: readonly unknown[] | undefined): string {
  if (typeof found !== 'string' || !allowed) return '';
  const names = allowed.filter((value): value is string => typeof value === 'string' && value !== found);
  // A cut-short value ("trunc", "of") most likely means the one value that begins with it, if only one does.
  const extended = found.length >= 2 ? names.filter((name) => name.startsWith(found)) : [];
  const suggestion = extended.length === 1 ? extended[0] : suggestName(found, names);
  return suggestion === undefined ? '' : `; did you mean ${JSON.stringify(suggestion)}?`;
}
