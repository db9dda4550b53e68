// A bound as documents write it ("<60s", "10-30 sec", "< 5 minutes", "0 data loss") read as a figure.
import type { ClaimBound } from './schema.js';

const UNIT_MS: [RegExp, number][] = [
  [/^(ms|msec|millis|milliseconds?)$/i, 1],
  [/^(s|sec|secs|seconds?)$/i, 1_000],
  [/^(m|min|mins|minutes?)$/i, 60_000],
  [/^(h|hr|hrs|hours?)$/i, 3_600_000],
];
const NUMBER = String.raw`(\d+(?:\.\d+)?)`;
const UNIT = String.raw`(ms|msec|millis|milliseconds?|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h)\b`;

/** The bound's figure: the top of a range, the number after "<", or 0; a word ("Immediate", "Not specified") has none. */
export function parseBound(text: string): ClaimBound {
  const plain = text.replace(/\*\*|__|`/g, '').trim();
  if (/^(0|zero|no)\s+data\s+loss\b/i.test(plain)) return { text: plain, maxLost: 0 };
  const range = new RegExp(`${NUMBER}\\s*(?:-|–|to)\\s*${NUMBER}\\s*${UNIT}`, 'i').exec(plain);
  if (range) return { text: plain, maxMs: toMs(Number(range[2]), range[3]!) };
  const single = new RegExp(`^(?:<=?|≤|under|within|up to)?\\s*${NUMBER}\\s*${UNIT}`, 'i').exec(plain);
  if (single) return { text: plain, maxMs: toMs(Number(single[1]), single[2]!) };
  if (/^0\b/.test(plain)) return { text: plain, maxMs: 0 };
  return { text: plain };
}

function toMs(value: number, unit: string): number {
  const factor = UNIT_MS.find(([pattern]) => pattern.test(unit))?.[1] ?? 1_000;
  return value * factor;
}
