/**
 * Draws from the distributions an arrival process is made of, each from a uniform source in [0, 1)
 * (the project's seeded PRNG, so a schedule is reproducible). Pure: runs in Node and inside k6.
 */

/** A uniform draw in (0, 1]: a logarithm or a power of it is always finite. */
const open0 = (random: () => number): number => 1 - random();

/** A standard normal draw (Box–Muller). */
export function standardNormal(random: () => number): number {
  return Math.sqrt(-2 * Math.log(open0(random))) * Math.cos(2 * Math.PI * random());
}

/** An exponential draw with the given mean: the gap between arrivals of a Poisson process. */
export function exponential(random: () => number, mean: number): number {
  return -mean * Math.log(open0(random));
}

/**
 * A draw from Gamma(shape, 1). Shape ≥ 1: Marsaglia and Tsang's squeeze method ("A simple method for
 * generating gamma variables", 2000), exact and about 1.05 normals a draw. Shape < 1, where that
 * method does not hold: a draw of Gamma(shape + 1) times U^(1/shape), which has the Gamma(shape)
 * law; taken through logarithms, since U^(1/shape) underflows to 0 for small shapes while the
 * product may still be a usable number.
 */
export function gammaUnitScale(random: () => number, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape))
    throw new RangeError(`gamma shape must be a positive finite number, got ${shape}`);
  if (shape < 1) {
    const boosted = gammaUnitScale(random, shape + 1);
    return Math.exp(Math.log(boosted) + Math.log(open0(random)) / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = standardNormal(random);
    const t = 1 + c * x;
    if (t <= 0) continue;
    const v = t * t * t;
    const u = open0(random);
    // The cheap squeeze first; the exact test only for the few draws it cannot decide.
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A draw from a gamma law of the given mean and coefficient of variation (shape 1/cv², scale mean/shape). */
export function gammaByMeanCv(random: () => number, mean: number, cv: number): number {
  const shape = 1 / (cv * cv);
  return gammaUnitScale(random, shape) * (mean / shape);
}
