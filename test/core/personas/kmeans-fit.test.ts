import { flatPoints, pickPoints, type FlatPoints } from '../../../lib/core/personas/flat-points';
import { bestRun, fitKmeans, fitKmeansSampled, type KmeansFit } from '../../../lib/core/personas/kmeans-fit';
import { sampleIndices, seededRandom } from '../../../lib/core/personas/random';

const options = { restarts: 3, seed: 42, maxIterations: 100, tolerance: 1e-10 };

/** Overlapping Gaussian blobs (sd 1, centres 2.5 apart): many points near a boundary. */
function blobs(perBlob: number, seed: number): FlatPoints {
  const random = seededRandom(seed);
  const gauss = (): number => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  const centres = [[0, 0, 0, 0], [2.5, 0, 0, 0], [0, 2.5, 0, 0], [2.5, 2.5, 1, 0]];
  return flatPoints(centres.flatMap((c, b) => Array.from({ length: perBlob * (b + 1) }, () => c.map((m) => m + gauss()))));
}

const pickSubsample = (p: FlatPoints, size: number): FlatPoints => pickPoints(p, sampleIndices(p.n, size, options.seed));
const row = (p: FlatPoints, i: number): number[] => Array.from(p.data.subarray(i * p.dims, (i + 1) * p.dims));
const sq = (a: readonly number[], b: readonly number[]): number => a.reduce((s, x, j) => s + (x - b[j]!) ** 2, 0);

/** Checks Lloyd's fixed point by brute force: every point with its nearest centre, every centre its points' mean. */
function expectLloydFixedPoint(points: FlatPoints, fit: KmeansFit): void {
  const sums = fit.centers.map(() => new Array<number>(points.dims).fill(0));
  for (let i = 0; i < points.n; i++) {
    const x = row(points, i);
    const distances = fit.centers.map((c) => sq(x, c));
    expect(distances[fit.labels[i]!]).toBeCloseTo(Math.min(...distances), 12);
    x.forEach((v, j) => (sums[fit.labels[i]!]![j]! += v));
  }
  fit.centers.forEach((c, ci) => c.forEach((v, j) => expect(v).toBeCloseTo(sums[ci]![j]! / fit.sizes[ci]!, 6)));
}

describe('k-means on flat points', () => {
  it('converges to a Lloyd fixed point on overlapping clusters (the pruned steps assign as plain Lloyd does)', () => {
    // Given four overlapping blobs of 300, 600, 900 and 1,200 points
    const points = blobs(300, 1);
    // When k-means runs for k = 4 and k = 7
    for (const k of [4, 7]) {
      const fit = fitKmeans(points, k, options);
      // Then every point sits with its nearest centre and every centre is the mean of its points
      expectLloydFixedPoint(points, fit);
      // And clusters come largest first, sizes adding up
      expect(fit.sizes).toEqual([...fit.sizes].sort((a, b) => b - a));
      expect(fit.sizes.reduce((a, b) => a + b, 0)).toBe(points.n);
    }
  });

  it('is reproducible: same points and seed, same centres', () => {
    const points = blobs(200, 2);
    expect(fitKmeans(points, 5, options)).toEqual(fitKmeans(points, 5, options));
  });

  it('restarts on a subsample, then fits every point from the best centres', () => {
    // Given 6,000 points
    const points = blobs(600, 3);
    // When the restarts see 1,000 of them
    const sampled = fitKmeansSampled(points, 4, { ...options, sampleSize: 1_000 });
    // Then the result is a Lloyd fixed point over all points, as good as restarting on all of them
    expectLloydFixedPoint(points, sampled);
    const full = fitKmeans(points, 4, options);
    expect(sampled.inertia).toBeLessThanOrEqual(full.inertia * 1.001);
  });

  it('continues from the restarts choosing k already ran, with the same result as running them all', () => {
    // Given 4,000 points, and the best of the first 2 restarts on the 1,000-point subsample
    const points = blobs(400, 4);
    const subset = { ...options, sampleSize: 1_000 };
    const earlier = bestRun(pickSubsample(points, 1_000), 5, { ...options, restarts: 2 });
    // When the final fit of 6 restarts is handed those 2
    const continued = fitKmeansSampled(points, 5, { ...subset, restarts: 6, earlier });
    // Then it equals running all 6; a run for another k is not taken for one of this k
    expect(continued).toEqual(fitKmeansSampled(points, 5, { ...subset, restarts: 6 }));
    expect(fitKmeansSampled(points, 4, { ...subset, earlier })).toEqual(fitKmeansSampled(points, 4, subset));
    expect(earlier.restarts).toBe(2);
  });

  it('drops clusters left empty when there are fewer distinct points than k', () => {
    // Given ten points at only two positions
    const points = flatPoints(Array.from({ length: 10 }, (_, i) => (i < 6 ? [0, 0] : [5, 5])));
    // When three clusters are asked for
    const fit = fitKmeans(points, 3, options);
    // Then two come back, largest first, exactly on the two positions
    expect(fit.centers).toEqual([[0, 0], [5, 5]]);
    expect(fit.sizes).toEqual([6, 4]);
  });
});
