// Log axes for durations that fit the data: ends on the 1-2-5 steps around it, ticks labelled "5 ms", "2 s".

const STEPS = [1, 2, 5];

// The 1-2-5 values from 10^from to 10^to.
function listSteps(fromExp: number, toExp: number): number[] {
  const values: number[] = [];
  for (let exp = fromExp; exp <= toExp; exp += 1) for (const step of STEPS) values.push(Number((step * 10 ** exp).toPrecision(3)));
  return values;
}

/** A log domain holding every value, from the 1-2-5 step below the smallest to the one above the largest; [1, 1000] without data. */
export function fitLogDomain(values: readonly number[]): [number, number] {
  const positive = values.filter((value) => value > 0 && Number.isFinite(value));
  if (positive.length === 0) return [1, 1000];
  const min = Math.min(...positive);
  const max = Math.max(...positive);
  const steps = listSteps(Math.floor(Math.log10(min)) - 1, Math.ceil(Math.log10(max)) + 1);
  const lo = [...steps].reverse().find((step) => step < min * 0.9) ?? steps[0]!;
  const hi = steps.find((step) => step > max * 1.1) ?? steps.at(-1)!;
  return [lo, hi];
}

/** vega-lite axis of a log duration axis over `domain`: 1-2-5 ticks (1-10-100 when many), in ms below a second, in s above. */
export function createLogAxis(domain: readonly [number, number]) {
  const decades = Math.log10(domain[1] / domain[0]);
  const all = listSteps(Math.floor(Math.log10(domain[0])), Math.ceil(Math.log10(domain[1]))).filter((value) => value >= domain[0] && value <= domain[1]);
  const values = decades > 4 ? all.filter((value) => String(value).startsWith('1')) : all;
  return {
    values,
    labelExpr: "datum.value >= 1000 ? format(datum.value / 1000, '~g') + ' s' : format(datum.value, '~g') + ' ms'",
    labelOverlap: true,
    grid: true,
  };
}
