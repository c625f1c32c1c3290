// Statistics of paired benchmark rounds: medians, quartiles and a bootstrap interval for the median ratio.

/** The q-quantile (0..1) of an ascending array, interpolated between the two nearest ranks (NaN when empty). */
export function quantile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  const at = (sorted.length - 1) * q;
  const lo = Math.floor(at);
  const hi = Math.ceil(at);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/** The median of any array of numbers (it is not modified). */
export function median(values) {
  return quantile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

/**
 * A 95% percentile-bootstrap interval for the median of `values`: the rounds are resampled with
 * replacement `resamples` times. The generator is seeded, so the same rounds give the same interval.
 */
export function bootstrapMedianInterval(values, { resamples = 4_000, seed = 1 } = {}) {
  if (values.length === 0) return [Number.NaN, Number.NaN];
  const random = lcg(seed);
  const medians = new Float64Array(resamples);
  const sample = new Array(values.length);
  for (let i = 0; i < resamples; i++) {
    for (let j = 0; j < values.length; j++) sample[j] = values[Math.floor(random() * values.length)];
    medians[i] = median(sample);
  }
  medians.sort();
  return [quantile(medians, 0.025), quantile(medians, 0.975)];
}

/**
 * A seeded linear congruential generator (the Numerical Recipes constants), uniform in [0, 1).
 * Only its high bits are used (`random() * n`), which is where an LCG is good enough to resample.
 */
function lcg(seed) {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state / 4_294_967_296;
  };
}
