import { Rng, WeightedChoice, sampleQuantiles, sigmaFromP90 } from '../../../lib/core/simulate/rng';
import { lognormalDistribution, summarize, uniformDistribution } from '../../../lib/core/simulate/distribution';

describe('seeded randomness', () => {
  it('gives the same numbers for the same seed and different numbers for another', () => {
    // Given two generators with one seed and one with another
    const a = new Rng(42);
    const b = new Rng(42);
    const c = new Rng(43);
    // When each draws a sequence
    const xs = Array.from({ length: 5 }, () => a.next());
    const ys = Array.from({ length: 5 }, () => b.next());
    const zs = Array.from({ length: 5 }, () => c.next());
    // Then equal seeds agree and a different seed does not
    expect(xs).toEqual(ys);
    expect(xs).not.toEqual(zs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('samples a Distribution so that its median and range are the distribution\'s', () => {
    // Given a lognormal think time with median 20 s and cv 1
    const d = lognormalDistribution(20, 1);
    const rng = new Rng(1);
    // When 20,000 values are drawn by inverse-CDF interpolation
    const values = Array.from({ length: 20_000 }, () => sampleQuantiles(rng, d));
    const s = summarize(values);
    // Then the sample median is within 3% of p50 and no value leaves [q0, q100]
    expect(Math.abs(s.p50 - d.p50) / d.p50).toBeLessThan(0.03);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(d.quantiles[0] ?? 0);
    expect(Math.max(...values)).toBeLessThanOrEqual(d.quantiles[20] ?? Infinity);
  });

  it('builds distributions whose spread matches the requested variability', () => {
    // Given a machine-regular and a human-like think time
    const machine = lognormalDistribution(2, 0.15);
    const human = lognormalDistribution(20, 1);
    const rng = new Rng(2);
    const cv = (d: typeof machine): number => {
      const v = Array.from({ length: 20_000 }, () => sampleQuantiles(rng, d));
      const mean = v.reduce((a, b) => a + b, 0) / v.length;
      return Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length) / mean;
    };
    // Then their sampled coefficients of variation are near 0.15 and near 1
    expect(cv(machine)).toBeGreaterThan(0.1);
    expect(cv(machine)).toBeLessThan(0.2);
    expect(cv(human)).toBeGreaterThan(0.7);
    expect(cv(human)).toBeLessThan(1.2);
    expect(uniformDistribution(1, 3).p50).toBe(2);
  });

  it('draws binomial and Poisson counts with the right mean, small and large', () => {
    const rng = new Rng(3);
    const mean = (f: () => number): number => Array.from({ length: 4_000 }, f).reduce((a, b) => a + b, 0) / 4_000;
    expect(mean(() => rng.binomial(20, 0.1))).toBeCloseTo(2, 0);
    expect(Math.abs(mean(() => rng.binomial(10_000, 0.3)) - 3_000)).toBeLessThan(10);
    expect(mean(() => rng.poisson(4))).toBeCloseTo(4, 0);
    expect(rng.binomial(5, 1)).toBe(5);
  });

  it('picks by weight and fits lognormal spread from p50/p90', () => {
    const rng = new Rng(4);
    const choice = new WeightedChoice([['a', 3], ['b', 1], ['never', 0]] as const);
    const picks = Array.from({ length: 8_000 }, () => choice.pick(rng));
    expect(picks.filter((p) => p === 'a').length / picks.length).toBeCloseTo(0.75, 1);
    expect(picks).not.toContain('never');
    const sigma = sigmaFromP90(100, 300);
    const draws = Array.from({ length: 20_000 }, () => rng.lognormal(100, sigma)).sort((x, y) => x - y);
    expect(Math.abs((draws[18_000] ?? 0) - 300) / 300).toBeLessThan(0.06);
  });
});
