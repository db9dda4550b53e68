// Risk Priority Number: Severity × Occurrence × Detection, each rated 1–10.

/** True when the value is an integer rating from 1 to 10. */
export function isRating(value: unknown): value is number {
  return Number.isInteger(value) && (value as number) >= 1 && (value as number) <= 10;
}

/** RPN = S × O × D; throws on a rating outside 1–10 so a typo never scores silently. */
export function computeRpn(severity: number, occurrence: number, detection: number): number {
  for (const [name, value] of [['severity', severity], ['occurrence', occurrence], ['detection', detection]] as const) {
    if (!isRating(value)) throw new RangeError(`${name} must be an integer from 1 to 10; got ${String(value)}`);
  }
  return severity * occurrence * detection;
}

/** S × O × D of ratings as a document states them (unchecked), or undefined when one is missing. */
export function multiplyStatedRatings(ratings: { severity?: number; occurrence?: number; detection?: number }): number | undefined {
  const { severity, occurrence, detection } = ratings;
  return severity !== undefined && occurrence !== undefined && detection !== undefined ? severity * occurrence * detection : undefined;
}
