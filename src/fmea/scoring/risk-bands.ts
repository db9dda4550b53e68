// Risk bands and priority buckets by RPN, and matching of risk-level words against them.
import type { RpnBand } from '../schema/config.js';

/** The band an RPN falls in, or undefined when no band covers it. */
export function getRiskBand(rpn: number, bands: readonly RpnBand[]): RpnBand | undefined {
  return bands.find((band) => rpn >= band.min && rpn <= band.max);
}

/** The mitigation priority bucket of an RPN (same shape as a band). */
export function getPriorityBucket(rpn: number, buckets: readonly RpnBand[]): RpnBand | undefined {
  return getRiskBand(rpn, buckets);
}

/** Lower-case, trimmed, markdown emphasis removed: how level words are compared. */
export function normalizeLevel(word: string): string {
  return word.replace(/[*_`]/g, '').trim().toLowerCase();
}

/** True when two level words name the same level (equal, or in one synonym group). */
export function isSameLevel(a: string, b: string, synonyms: readonly (readonly string[])[]): boolean {
  const left = normalizeLevel(a);
  const right = normalizeLevel(b);
  if (left === right) return true;
  return synonyms.some((group) => {
    const words = group.map(normalizeLevel);
    return words.includes(left) && words.includes(right);
  });
}

/** "200–300", ">300", "<50": how a band is shown in messages. */
export function formatBandRange(band: Pick<RpnBand, 'min' | 'max'>): string {
  if (band.max >= 1000) return `>${band.min - 1}`;
  if (band.min <= 1) return `<${band.max + 1}`;
  return `${band.min}–${band.max}`;
}
